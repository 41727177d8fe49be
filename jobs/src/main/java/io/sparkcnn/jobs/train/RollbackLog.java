package io.sparkcnn.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparkcnn.driver.checkpoint.StatefulListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Every diverged round the engine rolled back ({@code training.on-divergence = rollback}): why, and the scale of
 * the learning rate after it, for metrics.json's {@code divergence_rollbacks}.
 */
final class RollbackLog implements StatefulListener<RollbackLog.State> {
    private final List<Rollback> rollbacks = new ArrayList<>();

    @Override
    public void onRollback(String why, double rateScale, int count) {
        rollbacks.add(new Rollback(why, rateScale));
    }

    List<Rollback> rollbacks() {
        return List.copyOf(rollbacks);
    }

    @Override
    public String name() {
        return "rollbacks";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(rollbacks());
    }

    @Override
    public void restore(State state) {
        rollbacks.addAll(state.rollbacks());
    }

    /** One rolled-back round, as metrics.json lists it. */
    @JsonPropertyOrder({"why", "learning_rate_scale"})
    record Rollback(String why, @JsonProperty("learning_rate_scale") double learningRateScale) {}

    /** What a checkpoint keeps: the rollbacks of the run so far. */
    record State(List<Rollback> rollbacks) {}
}
