package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;

/** Callbacks from the averaging loop, for progress reports, per-epoch evaluation and checkpoints. */
public interface TrainingListener {
    default void onRound(RoundStats round) {}

    default void onEpochEnd(EpochStats epoch, ModelState state) {}
}
