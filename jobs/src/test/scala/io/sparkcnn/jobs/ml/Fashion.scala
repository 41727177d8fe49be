package io.sparkcnn.jobs.ml

import io.sparkcnn.jobs.cli.Main
import java.nio.file.{Files, Path}
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.feature.StringIndexer
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions.{col, element_at, split}

/**
 * What the Spark ML specs share, made once per test JVM: a few thousand Fashion-MNIST PNGs written by the
 * project's own export-images command (train/<class>/, test/<class>/), a local Spark session on 2 cores, and one
 * Pipeline(StringIndexer, CnnClassifier) fitted on the training images, which several specs use.
 */
object Fashion {
  val TrainImages = 3000
  val TestImages = 500

  lazy val root: Path = {
    val dir = Files.createTempDirectory("spark-ml-fashion").resolve("png")
    val status = Main.commandLine().execute("export-images", "--out", dir.toString,
      "--train-limit", TrainImages.toString, "--test-limit", TestImages.toString)
    require(status == 0, s"export-images exited with $status")
    dir
  }

  lazy val spark: SparkSession = SparkSession.builder()
    .master("local[2]")
    .appName("spark-cnn Spark ML specs")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "4")
    // As scripts/train sets it: averaging rounds are short, a round must not wait for data locality.
    .config("spark.locality.wait", "0s")
    .getOrCreate()

  /** The images of a split through Spark's image source, with their class folder's name. */
  def images(subset: String): DataFrame = spark.read.format("image").option("recursiveFileLookup", "true")
    .load(root.resolve(subset).toString)
    .withColumn("className", element_at(split(col("image.origin"), "/"), -2))

  /** The same files as encoded bytes through binaryFile, in path order, with their class folder's name. */
  def files(subset: String): DataFrame = spark.read.format("binaryFile").option("recursiveFileLookup", "true")
    .load(root.resolve(subset).toString)
    .withColumn("className", element_at(split(col("path"), "/"), -2))
    .orderBy("path")

  /** Class indices in the folder names' order, the order the folder source numbers the classes in. */
  def indexer(): StringIndexer = new StringIndexer().setInputCol("className").setOutputCol("label")
    .setStringOrderType("alphabetAsc")

  /** LeNet-5 for two short epochs on 2 workers: enough to learn, small enough for the test suite. */
  def classifier(): CnnClassifier = new CnnClassifier()
    .setChannels(1)
    .setEpochs(2)
    .setEvaluateEveryEpoch(false)
    .setRunsDir(Files.createTempDirectory("spark-ml-runs").toString)

  /** The shared fitted pipeline, on the training images read with spark.read.format("image"). */
  lazy val fitted: PipelineModel = new Pipeline().setStages(Array(indexer(), classifier())).fit(images("train"))
}
