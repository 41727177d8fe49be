package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.eval.DistributedEvaluator;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver's callbacks around the averaging loop: reports each round, validates each epoch, keeps the best
 * validation model (the lecture notes' rule: the lowest validation error, not the last model), stops early
 * after {@code patience} epochs without improvement, feeds reduce-on-plateau, and checkpoints every K rounds
 * and at every epoch's end with everything a resumed run needs.
 */
final class RunProgress implements TrainingListener {
    private static final String BEST_FILE = "best.bin";

    private final JobConfig job;
    private final ConsoleReporter reporter;
    private final CheckpointStore checkpoints;
    private final ReduceOnPlateau plateau;

    private JavaSparkContext sc;
    private NetworkSpec spec;
    private JobData data;
    private JavaRDD<LabeledImage> validation;
    private JavaRDD<LabeledImage> test;

    final List<Map<String, Object>> history = new ArrayList<>();
    final RoundLog roundLog = new RoundLog();
    private double learningRate = Double.NaN;
    /** Each rolled-back diverged round, for metrics.json. */
    final List<Map<String, Object>> rollbacks = new ArrayList<>();
    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private ModelState bestState;
    private int epochsWithoutImprovement;
    private boolean stop;
    private long examples;
    private double trainingSeconds;
    private long rounds;
    /** The averaging multiple k the schedule chose for the next round; checkpoints keep it for a resumed run. */
    private int averagingMultiple = 1;

    RunProgress(JobConfig job, ConsoleReporter reporter, CheckpointStore checkpoints, ReduceOnPlateau plateau) {
        this.job = job;
        this.reporter = reporter;
        this.checkpoints = checkpoints;
        this.plateau = plateau;
    }

    void attach(JavaSparkContext sc, NetworkSpec spec, JobData data, JavaRDD<LabeledImage> validation,
                JavaRDD<LabeledImage> test) {
        this.sc = sc;
        this.spec = spec;
        this.data = data;
        this.validation = validation;
        this.test = test;
    }

    @Override
    public void onRound(RoundStats round, ModelState state, Position next) {
        reporter.onRound(round, state, next);
        examples += round.examples();
        rounds++;
        roundLog.add(round);
        learningRate = round.learningRate();
        averagingMultiple = round.nextUnits();
        int every = job.training().checkpointEveryRounds();
        // The epoch's last round is checkpointed in onEpochEnd, once its evaluation is part of the record.
        if (every > 0 && rounds % every == 0 && next.round() != 0) {
            checkpoints.write(new Checkpoint(next, state, extras()));
        }
    }

    @Override
    public void onRollback(String why, double rateScale, int count) {
        reporter.onRollback(why, rateScale, count);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("why", why);
        row.put("learning_rate_scale", rateScale);
        rollbacks.add(row);
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        reporter.onEpochEnd(epoch, state);
        trainingSeconds += epoch.seconds();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch.epoch());
        row.put("rounds", epoch.rounds());
        row.put("examples", epoch.examples());
        row.put("train_loss", epoch.meanLoss());
        row.put("images_per_second", epoch.imagesPerSecond());
        row.put("seconds", epoch.seconds());
        row.put("averaging_overhead_share", epoch.overheadShare());
        row.put("learning_rate", Double.isFinite(learningRate) ? learningRate : null);
        if (validation != null) {
            sc.setJobDescription(String.format("epoch %d/%d: validate", epoch.epoch(), job.training().epochs()));
            DistributedEvaluator.Scored scored = evaluate(validation, state);
            double accuracy = scored.evaluation().accuracy();
            row.put("validation_accuracy", accuracy);
            row.put("validation_loss", RunMetrics.finite(scored.meanLoss()));
            boolean better = accuracy > bestAccuracy;
            if (better) {
                bestAccuracy = accuracy;
                bestEpoch = epoch.epoch();
                bestState = state;
                epochsWithoutImprovement = 0;
                CheckpointStore.writeFile(checkpoints.dir().resolve(BEST_FILE),
                        new Checkpoint(new Position(epoch.epoch() + 1, 0), state, Map.of("epoch", epoch.epoch())));
            } else {
                epochsWithoutImprovement++;
            }
            if (plateau != null && plateau.observe(accuracy)) {
                reporter.say("validation accuracy has not improved for %d epochs: learning rate now %.3g",
                        job.training().plateauPatience(), plateau.rate(epoch.epoch() + 1, 0));
            }
            int patience = job.training().earlyStoppingPatience();
            stop = patience > 0 && epochsWithoutImprovement >= patience;
            reporter.say("epoch %d: validation accuracy %.4f%s", epoch.epoch(), accuracy,
                    better ? " (best so far)" : stop ? ", no better for " + patience + " epochs: stopping early"
                            : " (best " + String.format("%.4f", bestAccuracy) + " at epoch " + bestEpoch + ")");
        } else if (job.training().evaluateEveryEpoch() && epoch.epoch() < job.training().epochs()) {
            sc.setJobDescription(String.format("epoch %d/%d: test", epoch.epoch(), job.training().epochs()));
            DistributedEvaluator.Scored scored = evaluate(test, state);
            double accuracy = scored.evaluation().accuracy();
            row.put("test_accuracy", accuracy);
            row.put("test_loss", RunMetrics.finite(scored.meanLoss()));
            reporter.say("epoch %d: test accuracy %.4f", epoch.epoch(), accuracy);
        }
        history.add(row);
        checkpoints.write(new Checkpoint(new Position(epoch.epoch() + 1, 0), state, extras()));
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    private DistributedEvaluator.Scored evaluate(JavaRDD<LabeledImage> records, ModelState state) {
        return DistributedEvaluator.scored(sc, records, spec, state, data.evalBatches(), data.classNames(),
                job.training().evalBatchSize());
    }

    /** The model the run keeps: the best on validation when there is a validation set, else the last. */
    ModelState keptState(ModelState last) {
        return bestState != null ? bestState : last;
    }

    String keptDescription() {
        return bestState != null
                ? String.format("the best validation model: %.4f at epoch %d", bestAccuracy, bestEpoch)
                : "the last epoch's model";
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestAccuracy() {
        return bestState == null ? Double.NaN : bestAccuracy;
    }

    long examples() {
        return examples;
    }

    double trainingSeconds() {
        return trainingSeconds;
    }

    int averagingMultiple() {
        return averagingMultiple;
    }

    boolean stoppedEarly() {
        return stop;
    }

    private Map<String, Object> extras() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("history", history);
        e.put("best_accuracy", bestState == null ? null : bestAccuracy);
        e.put("best_epoch", bestEpoch);
        e.put("epochs_without_improvement", epochsWithoutImprovement);
        e.put("examples", examples);
        e.put("training_seconds", trainingSeconds);
        e.put("rounds", rounds);
        e.put("round_log", roundLog.columns());
        e.put("averaging_multiple", averagingMultiple);
        if (plateau != null) {
            ReduceOnPlateau.State p = plateau.state();
            e.put("plateau", List.of(p.rate(), p.best(), p.epochsWithoutImprovement()));
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    void restore(Map<String, Object> e, CheckpointStore store) {
        history.addAll((List<Map<String, Object>>) e.get("history"));
        epochsWithoutImprovement = ((Number) e.get("epochs_without_improvement")).intValue();
        examples = ((Number) e.get("examples")).longValue();
        trainingSeconds = ((Number) e.get("training_seconds")).doubleValue();
        rounds = ((Number) e.get("rounds")).longValue();
        roundLog.restore(e.get("round_log"));
        // Saved rather than derived from the round log: the log's spreads would do, but only by replaying the
        // schedule over the whole run; checkpoints written before adaptive averaging existed mean k = 1.
        averagingMultiple = e.get("averaging_multiple") instanceof Number k ? k.intValue() : 1;
        bestEpoch = ((Number) e.get("best_epoch")).intValue();
        if (e.get("best_accuracy") != null) {
            bestAccuracy = ((Number) e.get("best_accuracy")).doubleValue();
            Path best = store.dir().resolve(BEST_FILE);
            if (!Files.isRegularFile(best)) {
                throw new IllegalArgumentException("--resume: the checkpoint refers to a best model at epoch "
                        + bestEpoch + " but " + best + " is missing.");
            }
            bestState = CheckpointStore.readFile(best).state();
        }
        if (plateau != null && e.get("plateau") != null) {
            List<Number> p = (List<Number>) e.get("plateau");
            plateau.restore(new ReduceOnPlateau.State(p.get(0).doubleValue(), p.get(1).doubleValue(),
                    p.get(2).intValue()));
        }
    }
}
