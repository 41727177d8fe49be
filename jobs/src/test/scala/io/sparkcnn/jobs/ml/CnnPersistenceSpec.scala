package io.sparkcnn.jobs.ml

import io.sparkcnn.jobs.inference.SavedModel
import java.nio.file.Files
import org.apache.spark.ml.PipelineModel
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Save and load: the model, the estimator and a PipelineModel, in model.zip + Spark ML metadata. */
class CnnPersistenceSpec extends AnyFunSuite with Matchers {
  import Fashion._

  private def predictions(df: DataFrame): Seq[(String, Double, Seq[Double])] =
    df.select("image.origin", "prediction", "probability").collect().toSeq
      .map(r => (r.getString(0), r.getDouble(1), r.getAs[Vector](2).toArray.toSeq)).sortBy(_._1)

  test("a saved and loaded CnnClassificationModel transforms to identical predictions") {
    val model = fitted.stages(1).asInstanceOf[CnnClassificationModel]
    val dir = Files.createTempDirectory("cnn-model").resolve("saved").toString
    model.write.overwrite().save(dir)
    val loaded = CnnClassificationModel.load(dir)
    loaded.uid shouldBe model.uid
    loaded.classNames().toSeq shouldBe model.classNames().toSeq
    val test = fitted.stages(0).transform(images("test"))
    predictions(loaded.transform(test)) shouldBe predictions(model.transform(test))
    loaded.summary.accuracy shouldBe model.summary.accuracy
    // The same file predict and evaluate read.
    SavedModel.read(java.nio.file.Path.of(dir, "model.zip")).info().classNames().size() shouldBe 10
  }

  test("a PipelineModel holding a CnnClassificationModel saves and loads") {
    val dir = Files.createTempDirectory("cnn-pipeline").resolve("saved").toString
    fitted.write.overwrite().save(dir)
    val loaded = PipelineModel.load(dir)
    loaded.stages(1) shouldBe a[CnnClassificationModel]
    predictions(loaded.transform(images("test"))) shouldBe predictions(fitted.transform(images("test")))
  }

  test("a CnnClassifier saves and loads with its Params") {
    val dir = Files.createTempDirectory("cnn-estimator").resolve("saved").toString
    val estimator = classifier().setLearningRate(0.002).setAugment("[{type = hflip}]")
    estimator.write.overwrite().save(dir)
    val loaded = CnnClassifier.load(dir)
    loaded.getOrDefault(loaded.learningRate) shouldBe 0.002
    loaded.getOrDefault(loaded.augment) shouldBe "[{type = hflip}]"
    loaded.getOrDefault(loaded.epochs) shouldBe 2
  }
}
