package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;

/** Callbacks from the averaging loop, for progress reports, per-epoch evaluation, checkpoints and early stopping. */
public interface TrainingListener {
    /** After each round, with the averaged state; {@code next} is where a resumed run would continue. */
    default void onRound(RoundStats round, ModelState state, Position next) {}

    default void onEpochEnd(EpochStats epoch, ModelState state) {}

    /** Asked after each epoch: true ends the run there (early stopping). */
    default boolean stopRequested() {
        return false;
    }
}
