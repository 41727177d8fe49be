package io.sparkcnn.bench;

import io.sparkcnn.jobs.train.TrainJob;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.IdxDataset;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
 * DL4J alone, the network's own {@code fit} in one JVM (the ceiling), and {@code dl4j-spark} is the stock
 * {@code ParameterAveragingTrainingMaster} (Direct mode: its Export mode needs HDFS; a layer stack only). The
 * minibatches come from the job's own batch makers, so that {@code data.preprocess} and {@code data.augment} apply
 * as in the engine (a graph such as ResNet-20 at 32x32 trains in the plain row). Writes the same
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
        JobData data = JobData.ofRecords(job, job.classNames(), train.shape());
        NetworkSpec spec = Architectures.build(job, data.shape(), job.classes());
        ModelSummary summary = ModelSummary.of(spec, data.shape());
        NeuralNetwork net = spec.build();
        reporter.say("%s: %,d parameters, %,d multiply-adds per %s image", job.name(), Networks.numParams(net),
                summary.totalMultiplyAdds(), data.shape());
        if (workspaceMode != null) {
            // Read at every fit call, so setting it on the built network is enough.
            setTrainingWorkspaceMode(net, workspaceMode);
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
                Iterator<DataSet> batches = data.trainBatches().minibatches(ordered.iterator(),
                        job.training().batchSizePerWorker(), job.seed(), epoch);
                try {
                    while (batches.hasNext()) {
                        DataSet batch = batches.next();
                        net.fit(batch);
                        examples += batch.numExamples();
                        double elapsed = trainSeconds + (System.nanoTime() - t0) / 1e9;
                        if (race.due(examples) || race.outOfTime(elapsed)) {
                            trainSeconds = elapsed;
                            boolean stop = raceCheck(race, net, test, data, job, trainSeconds, examples, reporter);
                            t0 = System.nanoTime();
                            if (stop) {
                                break training;
                            }
                        }
                    }
                } finally {
                    BatchMaker.close(batches);
                }
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                reporter.say("plain epoch %d: %,.0f img/s", epoch, examples / trainSeconds);
            }
            long t0 = System.nanoTime();
            evaluate(net, test, data, job);
            inferenceSeconds = (System.nanoTime() - t0) / 1e9;
        } else {
            if (!(net instanceof MultiLayerNetwork)) {
                throw new IllegalArgumentException("--engine dl4j-spark: " + config + " builds a graph ('"
                        + job.model().architecture().word() + "'), and the stock training master here trains a"
                        + " layer stack only; use --engine plain for it");
            }
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
                SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net, tm);
                int batchSize = job.training().batchSizePerWorker();
                // With a race on, each epoch is fitted in chunks of the race's evaluation interval, so that the
                // test accuracy can be taken between them (each fit call is a full dl4j-spark training run).
                long chunkImages = Math.min(settings.evalEveryImages(), train.size());
                training:
                for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                    List<DataSet> batches = new ArrayList<>();
                    Iterator<DataSet> it = data.trainBatches().minibatches(
                            inEpochOrder(train, job.seed(), epoch).iterator(), batchSize, job.seed(), epoch);
                    it.forEachRemaining(batches::add);
                    BatchMaker.close(it);
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
                            if (raceCheck(race, sparkNet.getNetwork(), test, data, job, trainSeconds, examples,
                                    reporter)) {
                                break training;
                            }
                        }
                    }
                    reporter.say("dl4j-spark epoch %d: %,.0f img/s", epoch, examples / trainSeconds);
                }
                net = sparkNet.getNetwork();
                List<DataSet> testBatches = new ArrayList<>();
                data.evalBatches().minibatches(test.records().iterator(), job.training().evalBatchSize(),
                        job.seed(), 0).forEachRemaining(testBatches::add);
                JavaRDD<DataSet> testRdd = sc.parallelize(testBatches, job.training().workers()).cache();
                testRdd.count();
                long t0 = System.nanoTime();
                sparkNet.evaluate(testRdd);
                inferenceSeconds = (System.nanoTime() - t0) / 1e9;
            }
        }
        Evaluation evaluation = evaluate(net, test, data, job);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.name());
        m.put("engine", engine);
        m.put("training_workspace_mode", trainingWorkspaceMode(net).toString());
        m.put("native_backend", System.getProperty("org.bytedeco.javacpp.platform.extension", "generic (OpenBLAS)"));
        m.put("master", where);
        m.put("test_accuracy", evaluation.accuracy());
        m.put("epochs", job.training().epochs());
        m.put("train_images_per_second", examples / trainSeconds);
        m.put("training_seconds", trainSeconds);
        m.put("wall_seconds", (System.nanoTime() - began) / 1e9);
        m.put("inference_images_per_second", test.size() / inferenceSeconds);
        m.put("examples_trained", examples);
        m.put("parameters", Networks.numParams(net));
        m.put("multiply_adds_per_image", summary.totalMultiplyAdds());
        m.putAll(race.metrics());
        m.put("config", job);
        TrainJob.writeJson(dir.file("metrics.json"), m);
        dir.commit();
        reporter.say("%s: test accuracy %.4f, %,.0f img/s", engine, evaluation.accuracy(), examples / trainSeconds);
        return 0;
    }

    private static boolean raceCheck(Race.Log race, NeuralNetwork net, IdxDataset test, JobData data, JobConfig job,
                                     double trainSeconds, long examples, ConsoleReporter reporter) {
        double accuracy = evaluate(net, test, data, job).accuracy();
        reporter.say("race: test accuracy %.4f after %.1f s of training (%,d images)", accuracy, trainSeconds,
                examples);
        return race.record(trainSeconds, examples, accuracy);
    }

    private static Evaluation evaluate(NeuralNetwork net, IdxDataset test, JobData data, JobConfig job) {
        Evaluation evaluation = new Evaluation(job.classNames());
        Iterator<DataSet> batches = data.evalBatches().minibatches(test.records().iterator(),
                job.training().evalBatchSize(), job.seed(), 0);
        try {
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                evaluation.eval(batch.getLabels(), Networks.output(net, batch.getFeatures()));
            }
        } finally {
            BatchMaker.close(batches);
        }
        return evaluation;
    }

    /** DL4J keeps the training workspace mode on either kind of network's configuration. */
    private static WorkspaceMode trainingWorkspaceMode(NeuralNetwork net) {
        return net instanceof ComputationGraph cg ? cg.getConfiguration().getTrainingWorkspaceMode()
                : ((MultiLayerNetwork) net).getLayerWiseConfigurations().getTrainingWorkspaceMode();
    }

    private static void setTrainingWorkspaceMode(NeuralNetwork net, WorkspaceMode mode) {
        if (net instanceof ComputationGraph cg) {
            cg.getConfiguration().setTrainingWorkspaceMode(mode);
        } else {
            ((MultiLayerNetwork) net).getLayerWiseConfigurations().setTrainingWorkspaceMode(mode);
        }
    }

    /** The same order the engine's single shard would see in {@code epoch}. */
    static List<LabeledImage> inEpochOrder(IdxDataset data, long seed, int epoch) {
        EpochShards dealt = EpochShards.deal(data.size(), 1, seed, epoch);
        List<LabeledImage> ordered = new ArrayList<>(data.records());
        ordered.sort(Comparator.comparingInt(r -> dealt.positionOf(r.id())));
        return ordered;
    }
}
