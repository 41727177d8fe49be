package io.sparkcnn.jobs.ml

import org.apache.spark.sql.SparkSession

/** The README's Scala example, between the markers exactly as the README shows it (ReadmeExamplesSpec checks). */
object ReadmeScalaExample {
  def run(spark: SparkSession, root: String): Double = {
    // README:begin
    import io.sparkcnn.jobs.ml.CnnClassifier
    import org.apache.spark.ml.Pipeline
    import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
    import org.apache.spark.ml.feature.StringIndexer
    import org.apache.spark.sql.functions.{col, element_at, split}

    def images(subset: String) = spark.read.format("image").option("recursiveFileLookup", "true")
      .load(s"$root/$subset")
      .withColumn("className", element_at(split(col("image.origin"), "/"), -2))

    val pipeline = new Pipeline().setStages(Array(
      new StringIndexer().setInputCol("className").setOutputCol("label"),
      new CnnClassifier().setArchitecture("lenet5").setChannels(1).setEpochs(1).setLearningRate(0.001)))
    val model = pipeline.fit(images("train"))
    val accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
      .evaluate(model.transform(images("test")))
    model.write.overwrite().save(s"$root-pipeline")
    // README:end
    accuracy
  }
}
