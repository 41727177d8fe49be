package io.sparkcnn.jobs.ml

import io.sparkcnn.jobs.inference.SavedModel
import io.sparkcnn.workers.train.ModelState
import java.lang.management.ManagementFactory
import java.nio.file.{Files, Path}
import org.apache.spark.ml.Pipeline
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers
import scala.jdk.CollectionConverters._

/**
 * The DataFrame path is the CLI's engine: the same images (binaryFile's bytes, in the folder source's order), the
 * same seed and Params give the same network as `scripts/train` on the folder tree, run as its own process.
 */
class CnnCliParitySpec extends AnyFunSuite with Matchers {
  import Fashion._

  /** Runs the command line's train in a JVM of its own, with this JVM's class path and options. */
  private def cli(config: Path, out: Path): Unit = {
    val options = ManagementFactory.getRuntimeMXBean.getInputArguments.asScala
      .filterNot(o => o.startsWith("-Xmx") || o.startsWith("-agentlib") || o.startsWith("-javaagent"))
    val command = Seq(ProcessHandle.current().info().command().get()) ++ options ++ Seq("-Xmx3g",
      "-cp", System.getProperty("java.class.path"), "io.sparkcnn.jobs.cli.Main", "train", config.toString,
      "--out", out.toString, "--progress", "lines")
    val log = Files.createTempFile("cli-train", ".log")
    val process = new ProcessBuilder(command: _*).redirectErrorStream(true).redirectOutput(log.toFile).start()
    val status = process.waitFor()
    withClue(Files.readString(log)) { status shouldBe 0 }
  }

  test("a CnnClassifier fit on binaryFile bytes gives the CLI's parameters for the same data and seed") {
    val config = Files.createTempFile("cli-parity", ".conf")
    Files.writeString(config,
      s"""job { name = cli-parity, seed = 42 }
         |data { format = folder, root = "${root}", channels = 1, preprocess { height = 28, width = 28 } }
         |training { epochs = 1, evaluate-every-epoch = false }
         |""".stripMargin)
    val cliOut = Files.createTempDirectory("cli-parity").resolve("run")
    val began = System.nanoTime()
    cli(config, cliOut)
    val cliSeconds = (System.nanoTime() - began) / 1e9

    val clf = classifier().setEpochs(1).setPreprocess("{height = 28, width = 28}").setInputCol("content")
    val fittedBytes = new Pipeline().setStages(Array(indexer(), clf)).fit(files("train"))
    val dataFrame = fittedBytes.stages(1).asInstanceOf[CnnClassificationModel]

    val cliModel = SavedModel.read(cliOut.resolve("model.zip"))
    val cliMetrics = new com.fasterxml.jackson.databind.ObjectMapper()
      .readValue(cliOut.resolve("metrics.json").toFile, classOf[java.util.Map[String, Object]])
    info(f"images/s: CLI ${cliMetrics.get("train_images_per_second").asInstanceOf[Number].doubleValue}%.0f," +
      f" CnnClassifier ${dataFrame.summary.trainImagesPerSecond}%.0f (CLI process $cliSeconds%.0f s)")
    dataFrame.classNames().toSeq shouldBe cliModel.info().classNames().asScala
    val a = ModelState.of(cliModel.network()).params()
    val b = ModelState.of(dataFrame.network()).params()
    a.length shouldBe b.length
    val differing = a.indices.count(i => a(i) != b(i))
    info(s"${a.length} parameters, $differing differ")
    differing shouldBe 0
  }
}
