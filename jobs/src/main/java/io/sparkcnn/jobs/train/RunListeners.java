package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.ema.ExponentialMovingAverage;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.train.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A training job's listeners on the engine, one concern each, and what metrics.json reads from them: the
 * console, the history, the rollbacks, the moving average of the weights when asked for ({@code training.ema.decay}),
 * validation when there is a validation set (with the best model, the plateau schedule, early stopping and its
 * report line), and the per-epoch test score when asked for ({@code training.evaluate-every-epoch}), which only
 * ever draws a curve. {@code plateau} is null unless the schedule is reduce-on-plateau, {@code ema} unless the run
 * averages its weights; with it, every evaluation scores the EMA weights ({@link #evaluated}).
 */
record RunListeners(ConsoleReporter reporter, RunHistory history, RollbackLog rollbacks, ExponentialMovingAverage ema,
                    Validation validation, PlateauFeed plateau, EarlyStopping earlyStopping, EpochTest epochTest,
                    JobConfig job) {
    static final String BEST_FILE = "best.bin";

    static RunListeners of(JobConfig job, ConsoleReporter reporter, CheckpointStore checkpoints,
                           ReduceOnPlateau schedule) {
        JobConfig.Training t = job.training();
        ExponentialMovingAverage ema = t.emaDecay() > 0
                ? new ExponentialMovingAverage(t.emaDecay(), t.emaStartEpoch()) : null;
        UnaryOperator<ModelState> evaluated = ema == null ? UnaryOperator.identity() : ema::applied;
        Validation validation = new Validation(checkpoints.dir().resolve(BEST_FILE), evaluated);
        return new RunListeners(reporter, new RunHistory(), new RollbackLog(), ema, validation,
                schedule == null ? null : new PlateauFeed(validation, schedule, t.plateauPatience(), reporter),
                new EarlyStopping(validation, t.earlyStoppingPatience()),
                new EpochTest(reporter, t.epochs(), validation, evaluated, () -> weightsNote(ema)), job);
    }

    /**
     * The engine's listeners in the order they must hear each event: the console first (the round's line before
     * anything it triggers), validation before the listeners that read its verdict, and the others' states
     * complete before the checkpoint writer the caller adds after them.
     */
    List<TrainingListener> inOrder(boolean validating, boolean testing) {
        List<TrainingListener> all = new ArrayList<>(List.of(reporter, history, rollbacks));
        // The average moves before anything scores it.
        if (ema != null) {
            all.add(ema);
        }
        if (validating) {
            all.add(validation);
            if (plateau != null) {
                all.add(plateau);
            }
            all.add(earlyStopping);
            all.add(new ValidationReport(reporter, validation, earlyStopping, this::weightsNote));
        }
        if (testing && job.training().evaluateEveryEpoch()) {
            all.add(epochTest);
        }
        return all;
    }

    /** Continues every stateful listener from a checkpoint (a listener it has no state for starts afresh). */
    void restore(ListenerStates states) {
        for (StatefulListener<?> l : java.util.Arrays.asList(history, rollbacks, ema, validation, plateau,
                earlyStopping, epochTest)) {
            if (l != null) {
                states.restore(l);
            }
        }
    }

    /** metrics.json's {@code history}: each epoch's totals with its validation or test score. */
    List<Map<String, Object>> historyRows() {
        return history.rows(validation.scores(), epochTest.scores());
    }

    /**
     * The weights the run evaluates and keeps for a trained state: the EMA's when the run averages its weights and
     * the average has started, else the trained ones.
     */
    ModelState evaluated(ModelState trained) {
        return ema == null ? trained : ema.applied(trained);
    }

    /** Which weights the run's scores and model come from, for metrics.json: "ema" or "trained". */
    String evaluatedWeights() {
        return ema != null && ema.started() ? "ema" : "trained";
    }

    /** What the console adds to a score to say which weights it is of: nothing without an EMA. */
    String weightsNote() {
        return weightsNote(ema);
    }

    private static String weightsNote(ExponentialMovingAverage ema) {
        if (ema == null) {
            return "";
        }
        return ema.started() ? String.format(", EMA weights (decay %s)", ema.decay())
                : ", trained weights (the EMA starts at epoch " + ema.startEpoch() + ")";
    }

    /** The model the run keeps: the best on validation when there is a validation set, else the last. */
    ModelState keptState(ModelState last) {
        return validation.bestState().orElse(evaluated(last));
    }

    String keptDescription() {
        return (validation.bestState().isPresent()
                ? String.format("the best validation model: %.4f at epoch %d", validation.bestAccuracy(),
                        validation.bestEpoch())
                : "the last epoch's model") + weightsNote();
    }
}
