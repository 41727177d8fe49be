package io.sparkcnn.jobs.ml;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The README's Java example, between the markers exactly as the README shows it (ReadmeExamplesSpec checks). */
public final class ReadmeJavaExample {
    private ReadmeJavaExample() {}

    /** Features of a saved pipeline's CNN for the test images, and the number of rows without an error. */
    public static long run(SparkSession spark, String root) {
        // README:begin
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(root + "/test");
        CnnClassificationModel cnn = (CnnClassificationModel) PipelineModel.load(root + "-pipeline").stages()[1];
        Dataset<Row> predicted = cnn.setInputCol("content").transform(files);
        predicted.select("path", "prediction", "probability", "error").show(5, false);

        Dataset<Row> features = new CnnFeaturizer().setModelPath(root + "-pipeline/stages/1_" + cnn.uid())
                .setInputCol("content").setOutputCol("features").transform(files);
        long usable = features.filter("error is null").count();
        // README:end
        return usable;
    }
}
