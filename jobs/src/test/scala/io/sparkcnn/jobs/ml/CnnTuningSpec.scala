package io.sparkcnn.jobs.ml

import org.apache.spark.ml.Pipeline
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.ml.tuning.{ParamGridBuilder, TrainValidationSplit}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** MLlib's tuning drives CnnClassifier like any estimator. */
class CnnTuningSpec extends AnyFunSuite with Matchers {
  import Fashion._

  test("TrainValidationSplit over two learning rates picks the better one and returns a working model") {
    val clf = classifier().setEpochs(1)
    val grid = new ParamGridBuilder().addGrid(clf.learningRate, Array(0.001, 0.000001)).build()
    val evaluator = new MulticlassClassificationEvaluator().setMetricName("accuracy")
    val tvs = new TrainValidationSplit().setEstimator(new Pipeline().setStages(Array(indexer(), clf)))
      .setEstimatorParamMaps(grid).setEvaluator(evaluator).setTrainRatio(0.8).setSeed(7)
    val tuned = tvs.fit(images("train").limit(1500))
    info(s"validation accuracies: ${tuned.validationMetrics.mkString(", ")}")
    tuned.validationMetrics.length shouldBe 2
    tuned.validationMetrics(0) should be > tuned.validationMetrics(1)
    evaluator.evaluate(tuned.transform(images("test"))) should be > 0.4
  }
}
