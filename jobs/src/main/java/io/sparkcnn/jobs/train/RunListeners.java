package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.driver.schedule.ReduceOnPlateau;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.workers.train.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training job's listeners on the engine, one concern each, and what metrics.json reads from them: the
 * console, the history, the rollbacks, validation when there is a validation set (with the best model, the plateau
 * schedule, early stopping and its report line), and the per-epoch test score when asked for
 * ({@code training.evaluate-every-epoch}), which only ever draws a curve.
 * {@code plateau} is null unless the schedule is reduce-on-plateau.
 */
record RunListeners(ConsoleReporter reporter, RunHistory history, RollbackLog rollbacks, Validation validation,
                    PlateauFeed plateau, EarlyStopping earlyStopping, EpochTest epochTest, JobConfig job) {
    static final String BEST_FILE = "best.bin";

    static RunListeners of(JobConfig job, ConsoleReporter reporter, CheckpointStore checkpoints,
                           ReduceOnPlateau schedule) {
        JobConfig.Training t = job.training();
        Validation validation = new Validation(checkpoints.dir().resolve(BEST_FILE));
        return new RunListeners(reporter, new RunHistory(), new RollbackLog(), validation,
                schedule == null ? null : new PlateauFeed(validation, schedule, t.plateauPatience(), reporter),
                new EarlyStopping(validation, t.earlyStoppingPatience()), new EpochTest(reporter, t.epochs(), validation), job);
    }

    /**
     * The engine's listeners in the order they must hear each event: the console first (the round's line before
     * anything it triggers), validation before the listeners that read its verdict, and the others' states
     * complete before the checkpoint writer the caller adds after them.
     */
    List<TrainingListener> inOrder(boolean validating, boolean testing) {
        List<TrainingListener> all = new ArrayList<>(List.of(reporter, history, rollbacks));
        if (validating) {
            all.add(validation);
            if (plateau != null) {
                all.add(plateau);
            }
            all.add(earlyStopping);
            all.add(new ValidationReport(reporter, validation, earlyStopping));
        }
        if (testing && job.training().evaluateEveryEpoch()) {
            all.add(epochTest);
        }
        return all;
    }

    /** Continues every stateful listener from a checkpoint (a listener it has no state for starts afresh). */
    void restore(ListenerStates states) {
        for (StatefulListener<?> l : java.util.Arrays.asList(history, rollbacks, validation, plateau, earlyStopping,
                epochTest)) {
            if (l != null) {
                states.restore(l);
            }
        }
    }

    /** metrics.json's {@code history}: each epoch's totals with its validation or test score. */
    List<Map<String, Object>> historyRows() {
        return history.rows(validation.scores(), epochTest.scores());
    }

    /** The model the run keeps: the best on validation when there is a validation set, else the last. */
    ModelState keptState(ModelState last) {
        return validation.bestState().orElse(last);
    }

    String keptDescription() {
        return validation.bestState().isPresent()
                ? String.format("the best validation model: %.4f at epoch %d", validation.bestAccuracy(),
                        validation.bestEpoch())
                : "the last epoch's model";
    }
}
