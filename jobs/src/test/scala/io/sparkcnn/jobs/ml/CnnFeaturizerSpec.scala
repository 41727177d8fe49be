package io.sparkcnn.jobs.ml

import java.nio.file.Files
import org.apache.spark.ml.Pipeline
import org.apache.spark.ml.classification.LogisticRegression
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.ml.feature.StringIndexer
import org.apache.spark.sql.functions.col
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Transfer learning with MLlib: a CNN's features of classes it never saw, classified by LogisticRegression. */
class CnnFeaturizerSpec extends AnyFunSuite with Matchers {
  import Fashion._

  private val seen = Seq("ankle-boot", "bag", "coat", "dress", "pullover")

  test("CnnFeaturizer + LogisticRegression beats chance by far on classes the network was not trained on") {
    val train = images("train")
    val model = new Pipeline().setStages(Array(indexer(), classifier()))
      .fit(train.filter(col("className").isin(seen: _*)))
    val dir = Files.createTempDirectory("featurizer-model").resolve("model").toString
    model.stages(1).asInstanceOf[CnnClassificationModel].write.save(dir)

    val featurizer = new CnnFeaturizer().setModelPath(dir)
    val unseen = new StringIndexer().setInputCol("className").setOutputCol("label")
    val newClasses = (df: org.apache.spark.sql.DataFrame) => df.filter(!col("className").isin(seen: _*))
    val transfer = new Pipeline().setStages(Array(unseen, featurizer, new LogisticRegression().setMaxIter(50)))
      .fit(newClasses(train))
    val acc = new MulticlassClassificationEvaluator().setMetricName("accuracy")
      .evaluate(transfer.transform(newClasses(images("test"))))
    info(f"accuracy on 5 unseen classes: $acc%.4f (chance 0.2)")
    acc should be > 0.6
    val features = featurizer.transform(images("test").limit(3)).select("features").head().getAs[org.apache.spark.ml.linalg.Vector](0)
    features.size shouldBe 500 // LeNet-5's hidden fully connected layer
  }
}
