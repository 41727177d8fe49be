package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.workers.train.ModelState;

/**
 * Ends the run after {@code patience} epochs in a row without a better validation accuracy (0: never). It reads
 * each epoch's verdict from {@link Validation}, so it comes after it in the run's listeners.
 */
final class EarlyStopping implements StatefulListener<EarlyStopping.State> {
    private final Validation validation;
    private final int patience;
    private int epochsWithoutImprovement;
    private boolean stop;

    EarlyStopping(Validation validation, int patience) {
        this.validation = validation;
        this.patience = patience;
    }

    @Override
    public void onEpochEnd(EpochStats epoch, ModelState state) {
        epochsWithoutImprovement = validation.improvedIn(epoch.epoch()) ? 0 : epochsWithoutImprovement + 1;
        stop = patience > 0 && epochsWithoutImprovement >= patience;
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    int patience() {
        return patience;
    }

    @Override
    public String name() {
        return "early-stopping";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(epochsWithoutImprovement);
    }

    @Override
    public void restore(State state) {
        epochsWithoutImprovement = state.epochsWithoutImprovement();
    }

    /** What a checkpoint keeps: the validated epochs since the last improvement. */
    record State(int epochsWithoutImprovement) {}
}
