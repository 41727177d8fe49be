package io.sparkcnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.cli.Main;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.ml.CnnClassificationModel;
import io.sparkcnn.jobs.ml.CnnClassifier;
import io.sparkcnn.jobs.train.TrainJob;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-ml} (row m): the Spark ML estimator against the command line on the same Fashion-MNIST PNG tree,
 * cores, seed and job settings: {@code train} on the folder tree, then a {@code Pipeline(StringIndexer,
 * CnnClassifier)} fitted on the tree's files read with {@code binaryFile}, and evaluated with
 * {@code MulticlassClassificationEvaluator} on the test folder. Both run in this JVM, one after the other, each in
 * local mode with the job's workers as cores.
 */
@Command(name = "bench-ml", mixinStandardHelpOptions = true,
        description = "CnnClassifier.fit on a DataFrame against scripts/train on the same PNG tree.")
final class SparkMlBench implements Callable<Integer> {
    @Option(names = "--train-limit", paramLabel = "N", description = "Training images exported (default 12000).")
    int trainLimit = 12_000;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test images exported (default 2000).")
    int testLimit = 2_000;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs of both runs (default 1).")
    int epochs = 1;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path png = out.resolve("png");
        if (!Files.isDirectory(png.resolve("test"))) {
            int status = Main.commandLine().execute("export-images", "--out", png.toString(),
                    "--train-limit", String.valueOf(trainLimit), "--test-limit", String.valueOf(testLimit));
            if (status != 0) {
                throw new IllegalStateException("export-images exited with " + status);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("images", trainLimit + " training and " + testLimit + " test Fashion-MNIST PNGs");
        result.put("epochs", epochs);
        result.put("cli", cli(png));
        result.put("spark_ml", sparkMl(png));
        double cli = ((Number) ((Map<?, ?>) result.get("cli")).get("train_images_per_second")).doubleValue();
        double ml = ((Number) ((Map<?, ?>) result.get("spark_ml")).get("train_images_per_second")).doubleValue();
        result.put("spark_ml_over_cli", ml / cli);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("ml.json").toFile(),
                result);
        System.out.printf(Locale.ROOT, "bench-ml: training images/s: train %.0f, CnnClassifier %.0f (%.2fx);"
                        + " test accuracy %.4f and %.4f%n", cli, ml, ml / cli,
                ((Map<?, ?>) result.get("cli")).get("test_accuracy"),
                ((Map<?, ?>) result.get("spark_ml")).get("test_accuracy"));
        return 0;
    }

    /** The job both runs share: the folder source's defaults, 28x28 grey, no evaluation between epochs. */
    private String job(Path png) {
        return String.format(Locale.ROOT, """
                job { name = bench-ml, seed = 42 }
                data { format = folder, root = "%s", channels = 1, preprocess { height = 28, width = 28 } }
                training { epochs = %d, evaluate-every-epoch = false }
                """, png.toString().replace("\\", "/"), epochs);
    }

    private Map<String, Object> cli(Path png) throws IOException {
        File config = out.resolve("bench-ml.conf").toFile();
        Files.writeString(config.toPath(), job(png));
        Path run = out.resolve("cli");
        new TrainJob(JobConfig.load(config, List.of()), run, null, ConsoleReporter.forStdout("lines")).run();
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("train_images_per_second", m.path("train_images_per_second").asDouble());
        row.put("test_accuracy", m.path("test_accuracy").asDouble());
        return row;
    }

    private Map<String, Object> sparkMl(Path png) {
        CnnClassifier estimator = new CnnClassifier().setChannels(1).setEpochs(epochs).setSeed(42)
                .setPreprocess("{height = 28, width = 28}").setEvaluateEveryEpoch(false).setInputCol("content")
                .setRunsDir(out.resolve("spark-ml-runs").toString());
        // The command line's local mode: a core per worker (training.threads-per-worker is 1 in both runs).
        int cores = ((Number) estimator.getJobParam("workers")).intValue();
        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("spark-cnn bench-ml")
                .config("spark.ui.enabled", "false").config("spark.locality.wait", "0s").getOrCreate();
        try {
            StringIndexer indexer = new StringIndexer().setInputCol("className").setOutputCol("label")
                    .setStringOrderType("alphabetAsc");
            PipelineModel model = new Pipeline().setStages(new PipelineStage[] {indexer, estimator})
                    .fit(files(spark, png.resolve("train")));
            CnnClassificationModel cnn = (CnnClassificationModel) model.stages()[1];
            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                    .evaluate(model.transform(files(spark, png.resolve("test"))));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("train_images_per_second", cnn.summary().trainImagesPerSecond());
            row.put("test_accuracy", accuracy);
            return row;
        } finally {
            spark.stop();
        }
    }

    /** The files of a folder as binaryFile reads them, in path order (the folder source's), with their class. */
    private static Dataset<Row> files(SparkSession spark, Path dir) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(dir.toString())
                .withColumn("className", functions.element_at(functions.split(functions.col("path"), "/"), -2))
                .orderBy("path");
    }
}
