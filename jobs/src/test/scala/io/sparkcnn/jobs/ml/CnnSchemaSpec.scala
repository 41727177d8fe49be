package io.sparkcnn.jobs.ml

import java.nio.file.Files
import org.apache.spark.sql.functions.{col, lit}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Wrong input fails before any training, naming the column or Param and what to do; a bad image row does not. */
class CnnSchemaSpec extends AnyFunSuite with Matchers {
  import Fashion._

  private lazy val indexed = indexer().fit(images("train")).transform(images("train").limit(200))

  private def failure(f: => Any): String = intercept[IllegalArgumentException](f).getMessage

  test("a missing image column is named, with the columns there are") {
    val m = failure(classifier().setInputCol("picture").fit(indexed))
    m should include("no column 'picture'")
    m should include("image")
  }

  test("an image column of the wrong type says which types work") {
    val m = failure(classifier().setInputCol("className").fit(indexed))
    m should include("column 'className' (Param inputCol) is string")
    m should include("binaryFile")
  }

  test("a string label column asks for a StringIndexer") {
    val m = failure(classifier().setLabelCol("className").fit(indexed))
    m should include("label column 'className'")
    m should include("StringIndexer")
  }

  test("a label outside [0, classes) is named with the row it is in") {
    val m = failure(classifier().fit(indexed.withColumn("label", lit(12.0))
      .withMetadata("label", indexed.schema("label").metadata)))
    m should include("holds 12.0")
    m should include("[0, 10)")
  }

  test("a label column without class names asks for a StringIndexer or classNames") {
    val m = failure(classifier().fit(indexed.withColumn("label", col("label") + 0)))
    m should include("does not name its classes")
  }

  test("images of different sizes without a resize name the sizes and Param preprocess") {
    val dir = Files.createTempDirectory("two-sizes")
    for ((name, size) <- Seq("a" -> 28, "b" -> 32); c <- Seq("x", "y")) {
      Files.createDirectories(dir.resolve(c))
      val img = new java.awt.image.BufferedImage(size, size, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)
      javax.imageio.ImageIO.write(img, "png", dir.resolve(c).resolve(s"$name.png").toFile)
    }
    val df = spark.read.format("image").option("recursiveFileLookup", "true").load(dir.toString)
      .withColumn("className", org.apache.spark.sql.functions.element_at(
        org.apache.spark.sql.functions.split(col("image.origin"), "/"), -2))
    val m = failure(classifier().fit(indexer().fit(df).transform(df)))
    m should include("2 sizes (28x28x1, 32x32x1)")
    m should include("Param preprocess")
  }

  test("an invalid Param value fails in set, naming the Param, its job key and the rule") {
    failure(classifier().setLearningRate(-1)) should include("learningRate (job key training.learning-rate)")
    failure(classifier().setArchitecture("lenet6")) should include("'lenet6' is not one of")
    failure(classifier().setAugment("[{type = nosuch}]")) should include("augment")
  }

  test("an invalid combination of Params fails in fit before any Spark job, naming the Params") {
    val jobsBefore = spark.sparkContext.statusTracker.getJobIdsForGroup(null).length
    val m = failure(classifier().setUpdater("adamw").fit(indexed))
    m should include("training.weight-decay (Param weightDecay)")
    spark.sparkContext.statusTracker.getJobIdsForGroup(null).length shouldBe jobsBefore
  }

  test("a corrupt image file is left out of training and gets an error, not a prediction, in transform") {
    val dir = Files.createTempDirectory("corrupt")
    val good = Files.list(root.resolve("test").resolve("bag")).findFirst().get
    Files.createDirectories(dir.resolve("bag"))
    Files.copy(good, dir.resolve("bag").resolve("good.png"))
    val bytes = Files.readAllBytes(good)
    Files.write(dir.resolve("bag").resolve("corrupt.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2))
    val model = fitted.stages(1).asInstanceOf[CnnClassificationModel]
    val out = model.transform(spark.read.format("image").option("recursiveFileLookup", "true").load(dir.toString))
      .select("image.origin", "prediction", "error").collect().map(r => (r.getString(0), r))
      .toMap.map { case (k, v) => (k.substring(k.lastIndexOf('/') + 1), v) }
    out.keySet shouldBe Set("good.png", "corrupt.png")
    out("good.png").isNullAt(1) shouldBe false
    out("good.png").isNullAt(2) shouldBe true
    out("corrupt.png").isNullAt(1) shouldBe true
    out("corrupt.png").getString(2) should include("could not decode")
    val files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(dir.toString)
    val byBytes = model.setInputCol("content").transform(files).select("path", "error").collect()
      .map(r => (r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r)).toMap
    model.setInputCol("image")
    byBytes("corrupt.png").getString(1) should not be empty
    byBytes("good.png").isNullAt(1) shouldBe true
  }
}
