package io.sparkcnn.jobs.ml

import java.nio.file.{Files, Path}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** The README's Spark ML examples run as written: their code is these sources', which this spec runs. */
class ReadmeExamplesSpec extends AnyFunSuite with Matchers {
  import Fashion._

  private val repo = Iterator.iterate(Path.of("").toAbsolutePath)(_.getParent)
    .find(p => Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("jobs"))).get

  /** The lines between the markers, without their common indentation. */
  private def region(source: String): String = {
    val lines = Files.readAllLines(repo.resolve(source)).toArray(Array[String]())
    val body = lines.dropWhile(!_.contains("README:begin")).drop(1).takeWhile(!_.contains("README:end"))
    val indent = body.filter(_.trim.nonEmpty).map(_.takeWhile(_ == ' ').length).min
    body.map(l => if (l.trim.isEmpty) "" else l.substring(indent)).mkString("\n")
  }

  test("the README shows the examples' code verbatim") {
    val readme = Files.readString(repo.resolve("README.md"))
    readme should include(region("jobs/src/test/scala/io/sparkcnn/jobs/ml/ReadmeScalaExample.scala"))
    readme should include(region("jobs/src/test/java/io/sparkcnn/jobs/ml/ReadmeJavaExample.java"))
  }

  test("the Scala example trains, evaluates and saves; the Java example loads, predicts and featurises") {
    val accuracy = ReadmeScalaExample.run(spark, root.toString)
    accuracy should be > 0.4
    ReadmeJavaExample.run(spark, root.toString) shouldBe TestImages
  }
}
