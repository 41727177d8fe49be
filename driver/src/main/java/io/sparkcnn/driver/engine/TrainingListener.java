package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;

/** Callbacks from the averaging loop, for progress reports, per-epoch evaluation, checkpoints and early stopping. */
public interface TrainingListener {
    /** After each round, with the averaged state; {@code next} is where a resumed run would continue. */
    default void onRound(RoundStats round, ModelState state, Position next) {}

    /**
     * A diverged round was rolled back (see {@link DivergencePolicy}): {@code why} names it, the learning rate is
     * now scaled by {@code rateScale}, and this was rollback number {@code rollbacks} of the run.
     */
    default void onRollback(String why, double rateScale, int rollbacks) {}

    default void onEpochEnd(EpochStats epoch, ModelState state) {}

    /** Asked after each round and each epoch: true ends the run there (early stopping, the benchmark's race). */
    default boolean stopRequested() {
        return false;
    }
}
