package io.sparkcnn.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.driver.engine.AveragingTrainer;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.engine.TrainingPlan;
import io.sparkcnn.driver.engine.TrainingResult;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.report.ConsoleReporter;
import io.sparkcnn.driver.report.RunDirectory;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.data.IdxDataset;
import io.sparkcnn.jobs.models.Architectures;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Trains a job end to end: validate the config and the data, start Spark, run the averaging engine, evaluate
 * on the test set, and write the model and {@code metrics.json} to the run's output folder.
 */
public final class TrainJob {
    private static final int RECORDS_PER_SLICE = 1024;
    private final JobConfig job;
    private final Path out;
    private final String masterOverride;
    private final ConsoleReporter reporter;

    public TrainJob(JobConfig job, Path out, String masterOverride, ConsoleReporter reporter) {
        NativeBackend.select();
        this.job = job;
        this.out = out;
        this.masterOverride = masterOverride;
        this.reporter = reporter;
    }

    /** Runs the job and returns what went into {@code metrics.json}. */
    public Map<String, Object> run() {
        long began = System.nanoTime();
        RunDirectory dir = RunDirectory.prepare(out);
        try {
            Configuration hadoop = new Configuration();
            IdxDataset train = IdxDataset.read(job.trainImages(), job.trainLabels(), job.classes(),
                    job.trainLimit(), hadoop);
            IdxDataset test = IdxDataset.read(job.testImages(), job.testLabels(), job.classes(), job.testLimit(),
                    hadoop);
            if (!train.shape().equals(test.shape())) {
                throw new IllegalArgumentException(job.testImages() + " holds " + test.shape() + " images but "
                        + job.trainImages() + " holds " + train.shape() + "; train and test must match.");
            }
            MultiLayerConfiguration architecture = Architectures.build(job, train.shape());
            MultiLayerNetwork net = new MultiLayerNetwork(architecture);
            net.init();
            TrainingPlan plan = new TrainingPlan(job.workers(), job.batchSizePerWorker(), job.averagingFrequency(),
                    job.epochs(), job.seed());
            reporter.say("%s: %s on %,d training and %,d test images of %s, %d workers x %d thread(s),"
                            + " batch %d per worker, averaging every %d steps, %d epoch(s), %,d parameters",
                    job.name(), job.architecture(), train.size(), test.size(), train.shape(), job.workers(),
                    job.threadsPerWorker(), job.batchSizePerWorker(), job.averagingFrequency(), job.epochs(),
                    net.numParams());

            Map<String, Object> metrics;
            try (JavaSparkContext sc = new JavaSparkContext(sparkConf())) {
                sc.setLogLevel("WARN");
                reporter.say("Spark %s, master %s", sc.version(), sc.master());
                String json = architecture.toJson();
                JavaRDD<LabeledImage> trainRdd = distribute(sc, train);
                JavaRDD<LabeledImage> testRdd = distribute(sc, test);
                EpochEnd epochs = new EpochEnd(sc, testRdd, json, train.shape());
                TrainingResult result = new AveragingTrainer(sc, plan, json, train.shape(), job.classes())
                        .fit(trainRdd, train.size(), ModelState.of(net), epochs);
                result.state().applyTo(net);
                Evaluation evaluation = epochs.lastEvaluation;
                reporter.say("test accuracy %.4f on %,d images%n%s", evaluation.accuracy(), test.size(),
                        evaluation.confusionToString());
                metrics = metrics(result, evaluation, epochs.history, sc.master(), sc.version(), began);
            }
            ModelSerializer.writeModel(net, dir.file("model.zip").toFile(), true);
            writeJson(dir.file("metrics.json"), metrics);
            dir.commit();
            reporter.say("wrote %s (model.zip, metrics.json)", dir.target());
            return metrics;
        } catch (IOException e) {
            dir.abandon();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            dir.abandon();
            throw e;
        }
    }

    /**
     * Reports each round, and at each epoch's end evaluates on the test set (every epoch, or only the last)
     * and keeps the epoch's row for {@code metrics.json}.
     */
    private final class EpochEnd implements TrainingListener {
        final List<Map<String, Object>> history = new ArrayList<>();
        Evaluation lastEvaluation;
        private final JavaSparkContext sc;
        private final JavaRDD<LabeledImage> test;
        private final String configurationJson;
        private final ImageShape shape;

        EpochEnd(JavaSparkContext sc, JavaRDD<LabeledImage> test, String configurationJson, ImageShape shape) {
            this.sc = sc;
            this.test = test;
            this.configurationJson = configurationJson;
            this.shape = shape;
        }

        @Override
        public void onRound(RoundStats round) {
            reporter.onRound(round);
        }

        @Override
        public void onEpochEnd(EpochStats epoch, ModelState state) {
            reporter.onEpochEnd(epoch, state);
            Map<String, Object> row = epochRow(epoch);
            if (job.evaluateEveryEpoch() || epoch.epoch() == job.epochs()) {
                sc.setJobDescription("epoch " + epoch.epoch() + ": evaluate");
                lastEvaluation = DistributedEvaluator.evaluate(sc, test, configurationJson, state, shape,
                        job.classNames(), job.evalBatchSize());
                row.put("test_accuracy", lastEvaluation.accuracy());
                reporter.say("epoch %d: test accuracy %.4f", epoch.epoch(), lastEvaluation.accuracy());
            }
            history.add(row);
        }
    }

    /**
     * Ships the raw records to the executors once and keeps them there, in slices small enough to be
     * cheap tasks; every epoch then reshuffles them from the executors' memory.
     */
    private JavaRDD<LabeledImage> distribute(JavaSparkContext sc, IdxDataset data) {
        int slices = Math.max(job.workers(), (data.size() + RECORDS_PER_SLICE - 1) / RECORDS_PER_SLICE);
        return sc.parallelize(data.records(), slices).persist(StorageLevel.MEMORY_ONLY());
    }

    SparkConf sparkConf() {
        SparkConf conf = new SparkConf().setAppName("spark-cnn " + job.name());
        int cores = job.workers() * job.threadsPerWorker();
        if (masterOverride != null) {
            conf.setMaster(masterOverride);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(job.master().equals("local") ? "local[" + cores + "]" : job.master());
        }
        // Outside spark-submit (scripts/train --master spark://...), ship the application jar ourselves.
        String appJar = System.getProperty("sparkcnn.app.jar");
        if (appJar != null && !conf.get("spark.master").startsWith("local") && !conf.contains("spark.jars")) {
            conf.setJars(new String[] {appJar});
        }
        conf.set("spark.task.cpus", Integer.toString(job.threadsPerWorker()));
        conf.set("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(job.threadsPerWorker()));
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        // Averaging rounds are short: do not let a round wait for data locality.
        conf.setIfMissing("spark.locality.wait", "0s");
        return conf;
    }

    private static Map<String, Object> epochRow(EpochStats e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", e.epoch());
        row.put("rounds", e.rounds());
        row.put("examples", e.examples());
        row.put("train_loss", e.meanLoss());
        row.put("images_per_second", e.imagesPerSecond());
        row.put("seconds", e.seconds());
        row.put("averaging_overhead_share", e.overheadShare());
        return row;
    }

    private Map<String, Object> metrics(TrainingResult result, Evaluation evaluation,
                                        List<Map<String, Object>> history, String master, String sparkVersion,
                                        long began) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.name());
        m.put("test_accuracy", evaluation.accuracy());
        m.put("epochs", job.epochs());
        m.put("train_images_per_second", result.examples() / result.trainingSeconds());
        m.put("training_seconds", result.trainingSeconds());
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("examples_trained", result.examples());
        m.put("history", history);
        m.put("class_names", job.classNames());
        int n = job.classes();
        int[][] confusion = new int[n][n];
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                confusion[actual][predicted] = evaluation.getConfusion().getCount(actual, predicted);
            }
        }
        m.put("confusion_matrix", confusion);
        m.put("master", master);
        m.put("spark_version", sparkVersion);
        m.put("dl4j_version", "1.0.0-M2");
        m.put("config", job);
        return m;
    }

    static void writeJson(Path file, Map<String, Object> value) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
    }
}
