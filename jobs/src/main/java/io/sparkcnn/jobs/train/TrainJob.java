package io.sparkcnn.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.CheckpointWriter;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.engine.AveragingSchedule;
import io.sparkcnn.driver.engine.AveragingTrainer;
import io.sparkcnn.driver.engine.DivergencePolicy;
import io.sparkcnn.driver.engine.LearningRateSchedule;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.engine.TrainingPlan;
import io.sparkcnn.driver.engine.TrainingResult;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.cluster.ClusterEvents;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.cluster.ExecutorWatch;
import io.sparkcnn.driver.output.RunDirectory;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.driver.schedule.Schedules;
import io.sparkcnn.jobs.config.AveragingMode;
import io.sparkcnn.jobs.config.DivergenceAction;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.config.RateSchedule;
import io.sparkcnn.jobs.config.SourceFormat;
import io.sparkcnn.jobs.config.Updater;
import io.sparkcnn.jobs.spark.SparkSettings;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.inference.EvaluateJob;
import io.sparkcnn.jobs.inference.ModelInfo;
import io.sparkcnn.jobs.inference.SavedModel;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.jobs.architectures.Finetune;
import io.sparkcnn.jobs.architectures.summary.ModelSummary;
import io.sparkcnn.jobs.report.RunReport;
import io.sparkcnn.jobs.report.TestResultsText;
import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Trains a job end to end: validate the config and the data, build the network and print its summary, start
 * Spark, run the averaging engine with per-epoch validation, checkpoints and early stopping, evaluate the kept
 * model on the test set, and write {@code model.zip} and {@code metrics.json} to the run's output folder.
 * A stopped run continues from its last checkpoint with {@link #resume}.
 */
public final class TrainJob {
    static final String CONFIG_FILE = "job.conf";
    private static final int CHECKPOINTS_KEPT = 2;

    private final JobConfig job;
    private final RunDirectory dir;
    private final boolean resuming;
    private final String masterOverride;
    private final ConsoleReporter reporter;
    private final List<RunInstrument> instruments = new ArrayList<>();
    private JavaSparkContext external;
    private JobData preset;
    private Function<JavaSparkContext, JobData.Splits> presetSplits;

    public TrainJob(JobConfig job, Path out, String masterOverride, ConsoleReporter reporter) {
        this(job, out.toString(), masterOverride, reporter);
    }

    /** {@code out}: a local folder or a folder on a Hadoop file system ({@code hdfs://...}). */
    public TrainJob(JobConfig job, String out, String masterOverride, ConsoleReporter reporter) {
        this(job, RunDirectory.prepare(out), false, masterOverride, reporter);
    }

    private TrainJob(JobConfig job, RunDirectory dir, boolean resuming, String masterOverride,
                     ConsoleReporter reporter) {
        NativeBackend.select();
        this.job = job;
        this.resuming = resuming;
        this.dir = dir;
        this.masterOverride = masterOverride;
        this.reporter = reporter;
    }

    /**
     * The job of the stopped run in {@code out}, read from the copy of its config the run saved, with
     * {@code overrides} (for instance more epochs) applied on top.
     */
    public static TrainJob resume(Path out, List<String> overrides, String masterOverride, ConsoleReporter reporter) {
        return resume(out.toString(), overrides, masterOverride, reporter);
    }

    /** As {@link #resume(Path, List, String, ConsoleReporter)}, for a local folder or a Hadoop file system URI. */
    public static TrainJob resume(String out, List<String> overrides, String masterOverride,
                                  ConsoleReporter reporter) {
        RunDirectory dir = RunDirectory.resume(out);
        Path saved = dir.file(CONFIG_FILE);
        if (!Files.isRegularFile(saved)) {
            throw new IllegalArgumentException("--resume " + out + ": no stopped run there (expected its config "
                    + CONFIG_FILE + " in its staging folder); a run that finished has nothing to resume.");
        }
        JobConfig job = JobConfig.load(saved.toFile(), overrides);
        return new TrainJob(job, dir, true, masterOverride, reporter);
    }

    /** Adds a measuring device to the run (the benchmark's); the product itself adds none. */
    public TrainJob instrument(RunInstrument instrument) {
        instruments.add(instrument);
        return this;
    }

    /**
     * Trains on records that are not the config's files (a DataFrame's, for Spark ML) in the caller's Spark
     * context, which the run uses as it is and leaves open: {@code data} says what the records are and how the
     * executors turn them into minibatches, {@code splits} puts them on the executors.
     */
    public TrainJob onRecords(JavaSparkContext sc, JobData data, Function<JavaSparkContext, JobData.Splits> splits) {
        this.external = sc;
        this.preset = data;
        this.presetSplits = splits;
        return this;
    }

    /** Runs the job and returns what went into {@code metrics.json}. */
    public Map<String, Object> run() {
        long began = System.nanoTime();
        CheckpointStore checkpoints = new CheckpointStore(dir.file("checkpoints"), CHECKPOINTS_KEPT)
                .afterEachWrite(dir::sync);
        RunListeners listening = null;
        ModelSummary summary = null;
        String sparkVersion = null;
        try {
            long loadStart = System.nanoTime();
            JobData data = preset != null ? preset : JobData.load(job);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            if (preset == null) {
                requireValidationWhereSelecting(job, data.validates());
            }
            NeuralNetwork net = buildNetwork(data);
            NetworkSpec spec = NetworkSpec.of(net);
            // The summary also checks every layer's geometry before any Spark job starts.
            summary = ModelSummary.of(spec, data.shape());
            reporter.say("%s: %s on %s (network input %s), %d workers x %d thread(s), batch %d per worker,"
                            + " averaging every %d steps%s, %d epoch(s)",
                    job.name(), describeModel(), preset != null ? "a DataFrame's rows" : data.sizes(),
                    data.shape(), job.training().workers(), job.training().threadsPerWorker(),
                    job.training().batchSizePerWorker(), job.training().averagingFrequency(),
                    job.training().averaging() == AveragingMode.ADAPTIVE ? " (adaptive: every 1 to "
                            + job.training().adaptiveMaxMultiple() + " blocks of that many)" : "",
                    job.training().epochs());
            reporter.say("%s", summary.render());
            TrainingPlan plan = new TrainingPlan(job.training().workers(), job.training().batchSizePerWorker(),
                    job.training().averagingFrequency(), job.training().epochs(), job.seed());
            ReduceOnPlateau plateau = job.training().schedule() == RateSchedule.PLATEAU
                    ? new ReduceOnPlateau(job.training().learningRate(), job.training().decayFactor(),
                            job.training().minLearningRate(), job.training().plateauPatience())
                    : null;

            ModelState start = ModelState.of(net);
            Position from = Position.START;
            int firstRoundBlocks = 1;
            ListenerStates saved = ListenerStates.NONE;
            listening = RunListeners.of(job, reporter, checkpoints, plateau);
            if (resuming) {
                List<String> skipped = new ArrayList<>();
                Checkpoint last = checkpoints.latest(skipped).orElseThrow(() -> new IllegalArgumentException(
                        "--resume " + dir.target() + ": no usable checkpoint in " + checkpoints.dir()
                                + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")")));
                skipped.forEach(s -> reporter.say("skipped damaged checkpoint: %s", s));
                start = last.state();
                from = last.next();
                firstRoundBlocks = last.nextRoundBlocks();
                saved = last.listeners();
                listening.restore(saved);
                reporter.say("resuming at epoch %d, block %d (iteration %d)%s", from.epoch(), from.block() + 1,
                        start.iterations(), job.training().averaging() == AveragingMode.ADAPTIVE
                                ? ", the next round covering " + firstRoundBlocks + " block(s) of tau steps" : "");
            } else {
                writeString(dir.file(CONFIG_FILE), job.resolved());
                dir.sync();
            }

            Map<String, Object> metrics;
            // A context of the run's own is closed at the end; the caller's (onRecords) is left as it was.
            try (JavaSparkContext owned = external == null ? new JavaSparkContext(sparkConf(job, masterOverride))
                    : null) {
                JavaSparkContext sc = owned != null ? owned : external;
                if (owned != null) {
                    sc.setLogLevel("WARN");
                }
                sparkVersion = sc.version();
                ClusterEvents events = ClusterEvents.attach(sc);
                ExecutorWatch watch = ExecutorWatch.start(sc, reporter, job.training().executorWaitTimeout());
                try {
                    reporter.say("Spark %s, master %s", sc.version(), sc.master());
                    long distributeStart = System.nanoTime();
                    JobData.Splits splits = presetSplits != null ? presetSplits.apply(sc) : data.distribute(sc, job);
                    double distributeSeconds = (System.nanoTime() - distributeStart) / 1e9;
                    reportRejected(reporter, splits);
                    int trainCount = Math.toIntExact(splits.trainCount());
                    int stepsPerEpoch = ceilDiv(ceilDiv(trainCount, plan.workers()), plan.batchSizePerWorker());
                    LearningRateSchedule schedule = schedule(stepsPerEpoch, plateau);
                    JobData.HeldOut finalSet = splits.finalSet();
                    JavaRDD<LabeledImage> validationRdd = splits.validation();
                    listening.validation().attach(evaluator(sc, validationRdd, spec, data, "validate"));
                    listening.epochTest().attach(evaluator(sc, splits.test(), spec, data, "test"));
                    List<TrainingListener> listeners = new ArrayList<>(listening.inOrder(validationRdd != null,
                            splits.test() != null));
                    CheckpointWriter writer = new CheckpointWriter(checkpoints, job.training().checkpointEveryRounds(),
                            firstRoundBlocks, listeners);
                    saved.restore(writer);
                    listeners.add(writer);
                    for (RunInstrument instrument : instruments) {
                        instrument.attach(state -> {
                            sc.setJobDescription("instrument: " + finalSet.split() + " accuracy");
                            return DistributedEvaluator.evaluate(sc, finalSet.records(), spec, state,
                                    data.evalBatches(),
                                    data.classNames(), job.training().evalBatchSize()).accuracy();
                        });
                        listeners.add(instrument);
                    }
                    TrainingResult result;
                    try {
                        result = new AveragingTrainer(sc, plan, spec, data.trainBatches(), schedule)
                                .onDivergence(divergencePolicy(job.training()))
                                .averaging(averagingSchedule(job.training()))
                                .exchange(job.training().exchange())
                                .fit(splits.train(), trainCount, start, from, firstRoundBlocks, listeners);
                    } catch (Exception e) {
                        // Spark's job abort is a checked SparkException that Scala code throws undeclared.
                        RuntimeException failure = e instanceof RuntimeException r ? r
                                : new IllegalStateException(e.getMessage(), e);
                        throw ResourceErrors.explain(watch.explain(failure), job, sc.getConf().get(
                                "spark.executor.memory", "1g"), events.describe());
                    }
                    ModelState kept = listening.keptState(result.state());
                    sc.setJobDescription("final " + finalSet.split() + " evaluation");
                    long inferenceStart = System.nanoTime();
                    TestTimeAugmentation tta = job.data().testTimeAugment();
                    DistributedEvaluator.Scored scored = DistributedEvaluator.scored(sc, finalSet.records(), spec,
                            kept, data.evalBatches(), data.classNames(), job.training().evalBatchSize(), tta);
                    double inferenceSeconds = (System.nanoTime() - inferenceStart) / 1e9;
                    Evaluation scores = scored.evaluation();
                    reporter.say("%s accuracy %.4f on %,d images (%s)%s%s%n%s", finalSet.split(), scores.accuracy(),
                            finalSet.count(), listening.keptDescription(), EvaluateJob.describe(tta),
                            caveat(finalSet, validationRdd != null), TestResultsText.of(scores, data.classNames()));
                    kept.applyTo(net);
                    metrics = RunMetrics.of(job, data.classNames(), listening, scored, finalSet, summary,
                            splits.rejected(), sc.master(), sc.version(), began);
                    // Time outside training: reading or listing the data on the driver (a folder's scan), then
                    // putting it on the executors (for a folder, reading and decoding every file once to check it).
                    metrics.put("data_load_seconds", loadSeconds);
                    metrics.put("data_distribute_seconds", distributeSeconds);
                    metrics.put("cluster_events", events.toMap());
                    metrics.put("divergence_rollbacks", listening.rollbacks().rollbacks());
                    metrics.put("inference_images_per_second", finalSet.count() / inferenceSeconds);
                    instruments.forEach(i -> metrics.putAll(i.metrics()));
                    String happened = events.describe();
                    if (!happened.isEmpty()) {
                        reporter.say("%s", happened);
                    }
                } finally {
                    if (owned == null) {
                        watch.stop();
                        sc.sc().removeSparkListener(events);
                    }
                }
            }
            SavedModel.write(net, ModelInfo.of(job, data), dir.file("model.zip"));
            writeJson(dir.file("metrics.json"), metrics);
            writeReport();
            dir.commit();
            reporter.say("wrote %s (model.zip, metrics.json, report.html, checkpoints/)", dir.target());
            return metrics;
        } catch (RuntimeException e) {
            if (checkpoints.list().isEmpty()) {
                dir.abandon();
            } else {
                if (listening != null) {
                    try {
                        writeJson(dir.file("metrics.json"), RunMetrics.failed(job, listening, summary, sparkVersion, e,
                                began));
                        writeReport();
                        dir.sync();
                    } catch (RuntimeException reportFailure) {
                        e.addSuppressed(reportFailure);
                    }
                }
                reporter.say("the run stopped; its checkpoints are kept: continue it with --resume %s", dir.target());
            }
            throw e;
        }
    }

    /** What a number from a set other than the test set must not be taken for. */
    static String caveat(JobData.HeldOut set, boolean validated) {
        if (!set.flattering()) {
            return "";
        }
        return JobData.HeldOut.VALIDATION.equals(set.split())
                ? "; no test set: this validation set " + (validated ? "also picked the model, so it flatters it"
                        : "is the only held-out set")
                : "; no held-out set: the model was scored on the images it trained on";
    }

    /** Scores a state on {@code records} after an epoch, as a Spark job the UI names "epoch N/M: {@code what}". */
    private EpochEvaluator evaluator(JavaSparkContext sc, JavaRDD<LabeledImage> records, NetworkSpec spec,
                                     JobData data, String what) {
        return (epoch, state) -> {
            sc.setJobDescription(String.format("epoch %d/%d: %s", epoch, job.training().epochs(), what));
            return DistributedEvaluator.scored(sc, records, spec, state, data.evalBatches(), data.classNames(),
                    job.training().evalBatchSize());
        };
    }

    /**
     * Early stopping and the plateau schedule follow a validation set, never the test set. The config checks this
     * when it loads for sources whose validation set is {@code data.validation-fraction}; a folder tree's or a packed
     * dataset's {@code val/} split is known once its listing or manifest is read, before Spark starts.
     */
    static void requireValidationWhereSelecting(JobConfig job, boolean validates) {
        if (validates) {
            return;
        }
        String problem = job.training().earlyStoppingPatience() > 0 ? "training.early-stopping-patience"
                : job.training().schedule() == RateSchedule.PLATEAU ? "training.schedule = plateau" : null;
        if (problem != null) {
            String where = job.data().format() == SourceFormat.FOLDER ? job.data().root() : job.data().shards();
            throw new IllegalArgumentException(problem + ": follows a validation set, and " + where + " has no val"
                    + " split; set data.validation-fraction (for example 0.1) or add a val/ split. The test set never"
                    + " picks a model.");
        }
    }

    /** The report is a view of metrics.json: a failure to draw it is told, and does not cost the trained model. */
    private void writeReport() {
        try {
            RunReport.write(dir.file(RunReport.FILE).getParent());
        } catch (RuntimeException e) {
            reporter.say("could not write %s (%s); write it later with: report %s", RunReport.FILE, e, dir.target());
        }
    }

    private NeuralNetwork buildNetwork(JobData data) {
        JobConfig.Model m = job.model();
        if (!m.finetuneFrom().isBlank()) {
            NeuralNetwork saved = Finetune.load(m.finetuneFrom());
            return Finetune.adapt(saved, data.classes(), m.freezeLayers(), Architectures.hyper(job));
        }
        return Architectures.build(job, data.shape(), data.classes()).build();
    }

    private String describeModel() {
        JobConfig.Model m = job.model();
        return m.finetuneFrom().isBlank() ? m.architecture().word()
                : "fine-tuning " + m.finetuneFrom() + " (" + m.freezeLayers() + " layers frozen)";
    }

    private LearningRateSchedule schedule(int stepsPerEpoch, ReduceOnPlateau plateau) {
        JobConfig.Training t = job.training();
        if (t.updater() == Updater.ADADELTA) {
            return LearningRateSchedule.constant(Double.NaN);
        }
        double base = t.learningRate();
        long total = (long) stepsPerEpoch * t.epochs();
        LearningRateSchedule main = switch (t.schedule()) {
            case STEP -> Schedules.step(base, t.decayEpochs(), t.decayFactor());
            case EXPONENTIAL -> Schedules.exponential(base, t.decayFactor());
            case COSINE -> Schedules.cosine(base, t.minLearningRate(), total);
            case PLATEAU -> plateau;
            case CONSTANT -> LearningRateSchedule.constant(base);
        };
        return Schedules.warmup(main, (long) t.warmupEpochs() * stepsPerEpoch);
    }

    /** Every file left out is named, with its reason; none disappears silently. */
    public static void reportRejected(ConsoleReporter reporter, JobData.Splits splits) {
        if (splits.rejected().isEmpty()) {
            return;
        }
        reporter.say("%d file(s) left out (listed in metrics.json):", splits.rejected().size());
        splits.rejected().stream().limit(20).forEach(r -> reporter.say("  %s: %s", r.path(), r.reason()));
        if (splits.rejected().size() > 20) {
            reporter.say("  ... and %d more", splits.rejected().size() - 20);
        }
    }

    /** Spark's settings for {@code job}; {@code masterOverride} (from --master) wins over the config's. */
    public static SparkConf sparkConf(JobConfig job, String masterOverride) {
        JobConfig.Training t = job.training();
        int cores = t.workers() * t.threadsPerWorker();
        SparkConf conf = SparkSettings.forCommand("spark-cnn " + job.name(), masterOverride,
                job.master().equals("local") ? "local[" + cores + "]" : job.master());
        conf.set("spark.task.cpus", Integer.toString(t.threadsPerWorker()));
        conf.set("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(t.threadsPerWorker()));
        // Averaging rounds are short: do not let a round wait for data locality.
        conf.setIfMissing("spark.locality.wait", "0s");
        return conf;
    }

    static DivergencePolicy divergencePolicy(JobConfig.Training t) {
        return t.onDivergence() == DivergenceAction.ROLLBACK
                ? new DivergencePolicy(true, t.divergenceRateFactor(), t.maxRollbacks())
                : DivergencePolicy.STOP;
    }

    static AveragingSchedule averagingSchedule(JobConfig.Training t) {
        return t.averaging() == AveragingMode.ADAPTIVE
                ? new AveragingSchedule(t.adaptiveMaxMultiple(), t.adaptiveLow(), t.adaptiveHigh())
                : AveragingSchedule.FIXED;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    public static void writeJson(Path file, Object value) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
