package io.sparkcnn.bench;

import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.Minibatches;
import io.sparkcnn.workers.train.NativeThreads;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The benchmark's reference rows, trained on the same job, data and data order as the engine: {@code plain} is
 * DL4J alone, {@code MultiLayerNetwork.fit} in one JVM (the ceiling), and {@code dl4j-spark} is the stock
 * {@code ParameterAveragingTrainingMaster} (Direct mode: its Export mode needs HDFS). Writes the same
 * {@code metrics.json} keys as {@code train}.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Train a job with plain DL4J or stock dl4j-spark, for the benchmark.")
final class Baseline implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    File config;

    @Option(names = "--engine", required = true, description = "plain or dl4j-spark")
    String engine;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--master", paramLabel = "URL")
    String master;

    @Option(names = "--workspace-mode", paramLabel = "MODE", description = "DL4J's training workspace mode for"
            + " the plain row, ENABLED (DL4J's default) or NONE: a tuning experiment of the benchmark.")
    WorkspaceMode workspaceMode;

    @Override
    public Integer call() throws Exception {
        if (!List.of("plain", "dl4j-spark").contains(engine)) {
            throw new IllegalArgumentException("--engine: '" + engine + "' is not plain or dl4j-spark");
        }
        JobConfig job = JobConfig.load(config, overrides);
        ConsoleReporter reporter = new ConsoleReporter(System.out);
        RunDirectory dir = RunDirectory.prepare(out);
        long began = System.nanoTime();
        Configuration hadoop = new Configuration();
        IdxDataset train = IdxDataset.read(job.data().trainImages(), job.data().trainLabels(), job.classes(), job.data().trainLimit(), hadoop);
        IdxDataset test = IdxDataset.read(job.data().testImages(), job.data().testLabels(), job.classes(), job.data().testLimit(), hadoop);
        MultiLayerNetwork net = (MultiLayerNetwork) Architectures.build(job, train.shape(), job.classes()).build();
        if (workspaceMode != null) {
            // Read at every fit call, so setting it on the built network is enough.
            net.getLayerWiseConfigurations().setTrainingWorkspaceMode(workspaceMode);
        }
        double trainSeconds = 0;
        long examples = 0;
        double inferenceSeconds;
        String where;
        Race settings = Race.fromEnvironment();
        Race.Log race = new Race.Log(settings);
        if (engine.equals("plain")) {
            int cores = job.training().workers() * job.training().threadsPerWorker();
            NativeThreads.limitTo(cores);
            where = "single JVM, " + cores + " threads";
            training:
            for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                List<LabeledImage> ordered = inEpochOrder(train, job.seed(), epoch);
                long t0 = System.nanoTime();
                Minibatches batches = new Minibatches(ordered.iterator(), train.shape(), job.classes(),
                        job.training().batchSizePerWorker());
                while (batches.hasNext()) {
                    DataSet batch = batches.next();
                    net.fit(batch);
                    examples += batch.numExamples();
                    double elapsed = trainSeconds + (System.nanoTime() - t0) / 1e9;
                    if (race.due(examples) || race.outOfTime(elapsed)) {
                        trainSeconds = elapsed;
                        boolean stop = raceCheck(race, net, test, job, trainSeconds, examples, reporter);
                        t0 = System.nanoTime();
                        if (stop) {
                            break training;
                        }
                    }
                }
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                reporter.say("plain epoch %d: %,.0f img/s", epoch, examples / trainSeconds);
            }
            long t0 = System.nanoTime();
            evaluate(net, test, job);
            inferenceSeconds = (System.nanoTime() - t0) / 1e9;
        } else {
            SparkConf conf = TrainJob.sparkConf(job, master);
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                where = sc.master();
                ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(
                        job.training().batchSizePerWorker())
                        .batchSizePerWorker(job.training().batchSizePerWorker())
                        .averagingFrequency(job.training().averagingFrequency())
                        .workerPrefetchNumBatches(2)
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .rngSeed(job.seed())
                        .build();
                SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
                int batchSize = job.training().batchSizePerWorker();
                // With a race on, each epoch is fitted in chunks of the race's evaluation interval, so that the
                // test accuracy can be taken between them (each fit call is a full dl4j-spark training run).
                long chunkImages = Math.min(settings.evalEveryImages(), train.size());
                training:
                for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                    List<DataSet> batches = new ArrayList<>();
                    Minibatches it = new Minibatches(inEpochOrder(train, job.seed(), epoch).iterator(),
                            train.shape(), job.classes(), batchSize);
                    it.forEachRemaining(batches::add);
                    int chunk = (int) Math.max(1, Math.min(batches.size(), chunkImages / batchSize));
                    for (int from = 0; from < batches.size(); from += chunk) {
                        List<DataSet> part = batches.subList(from, Math.min(batches.size(), from + chunk));
                        // Not cached: Direct mode fails on a cached RDD ("Cannot change storage level").
                        JavaRDD<DataSet> rdd = sc.parallelize(new ArrayList<>(part), job.training().workers());
                        long t0 = System.nanoTime();
                        sparkNet.fit(rdd);
                        trainSeconds += (System.nanoTime() - t0) / 1e9;
                        examples += part.stream().mapToLong(DataSet::numExamples).sum();
                        if (race.due(examples) || race.outOfTime(trainSeconds)) {
                            if (raceCheck(race, sparkNet.getNetwork(), test, job, trainSeconds, examples, reporter)) {
                                break training;
                            }
                        }
                    }
                    reporter.say("dl4j-spark epoch %d: %,.0f img/s", epoch, examples / trainSeconds);
                }
                net = sparkNet.getNetwork();
                List<DataSet> testBatches = new ArrayList<>();
                new Minibatches(test.records().iterator(), test.shape(), job.classes(),
                        job.training().evalBatchSize()).forEachRemaining(testBatches::add);
                JavaRDD<DataSet> testRdd = sc.parallelize(testBatches, job.training().workers()).cache();
                testRdd.count();
                long t0 = System.nanoTime();
                sparkNet.evaluate(testRdd);
                inferenceSeconds = (System.nanoTime() - t0) / 1e9;
            }
        }
        Evaluation evaluation = evaluate(net, test, job);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.name());
        m.put("engine", engine);
        m.put("training_workspace_mode", net.getLayerWiseConfigurations().getTrainingWorkspaceMode().toString());
        m.put("native_backend", System.getProperty("org.bytedeco.javacpp.platform.extension", "generic (OpenBLAS)"));
        m.put("master", where);
        m.put("test_accuracy", evaluation.accuracy());
        m.put("epochs", job.training().epochs());
        m.put("train_images_per_second", examples / trainSeconds);
        m.put("training_seconds", trainSeconds);
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("inference_images_per_second", test.size() / inferenceSeconds);
        m.putAll(race.metrics());
        m.put("config", job);
        TrainJob.writeJson(dir.file("metrics.json"), m);
        dir.commit();
        reporter.say("%s: test accuracy %.4f, %,.0f img/s", engine, evaluation.accuracy(), examples / trainSeconds);
        return 0;
    }

    private static boolean raceCheck(Race.Log race, MultiLayerNetwork net, IdxDataset test, JobConfig job,
                                     double trainSeconds, long examples, ConsoleReporter reporter) {
        double accuracy = evaluate(net, test, job).accuracy();
        reporter.say("race: test accuracy %.4f after %.1f s of training (%,d images)", accuracy, trainSeconds,
                examples);
        return race.record(trainSeconds, examples, accuracy);
    }

    private static Evaluation evaluate(MultiLayerNetwork net, IdxDataset test, JobConfig job) {
        Evaluation evaluation = new Evaluation(job.classNames());
        Minibatches batches = new Minibatches(test.records().iterator(), test.shape(), job.classes(),
                job.training().evalBatchSize());
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            evaluation.eval(batch.getLabels(), net.output(batch.getFeatures(), false));
        }
        return evaluation;
    }

    /** The same order the engine's single shard would see in {@code epoch}. */
    static List<LabeledImage> inEpochOrder(IdxDataset data, long seed, int epoch) {
        EpochShards dealt = EpochShards.deal(data.size(), 1, seed, epoch);
        List<LabeledImage> ordered = new ArrayList<>(data.records());
        ordered.sort(Comparator.comparingInt(r -> dealt.positionOf(r.id())));
        return ordered;
    }
}
