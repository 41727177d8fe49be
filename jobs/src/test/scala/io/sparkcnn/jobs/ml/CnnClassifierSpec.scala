package io.sparkcnn.jobs.ml

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** CnnClassifier in a Pipeline on Fashion-MNIST images read as DataFrames, judged by MLlib's own evaluator. */
class CnnClassifierSpec extends AnyFunSuite with Matchers {
  import Fashion._

  private def accuracy(predictions: org.apache.spark.sql.DataFrame): Double =
    new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions)

  test("a Pipeline(StringIndexer, CnnClassifier) fitted on spark.read.format(\"image\") learns Fashion-MNIST") {
    val predictions = fitted.transform(images("test"))
    val acc = accuracy(predictions)
    info(f"test accuracy $acc%.4f on $TestImages images")
    // An untrained network is at chance (0.10 for 10 classes); two epochs on 3,000 images reach about 0.7.
    acc should be > 0.55
    predictions.filter("error is not null").count() shouldBe 0
    val model = fitted.stages(1).asInstanceOf[CnnClassificationModel]
    model.classNames().toSeq shouldBe Seq("ankle-boot", "bag", "coat", "dress", "pullover", "sandal", "shirt",
      "sneaker", "t-shirt-top", "trouser")
    model.summary.history.size shouldBe 2
    model.summary.trainImagesPerSecond should be > 0.0
  }
}
