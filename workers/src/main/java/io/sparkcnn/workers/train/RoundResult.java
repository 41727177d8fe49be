package io.sparkcnn.workers.train;

import java.io.Serializable;

/**
 * One worker's contribution to an averaging round: how its local steps changed the parameters and the updater
 * state (with the iteration counter it reached),
 * how many examples and minibatches it trained on, the sum of its minibatch losses, the time spent in the
 * training step itself (to separate compute from the round's Spark overhead: loading the state, the steps, the
 * waits for minibatches after the first was ready, extracting the change) and where the task's time went
 * ({@link TaskPhases}).
 */
public record RoundResult(
        ModelState state, long examples, int minibatches, double lossSum, long trainNanos, TaskPhases phases)
        implements Serializable {
    /** A result whose task was not timed phase by phase. */
    public RoundResult(ModelState state, long examples, int minibatches, double lossSum, long trainNanos) {
        this(state, examples, minibatches, lossSum, trainNanos, TaskPhases.NONE);
    }

    public RoundResult withPhases(TaskPhases taskPhases) {
        return new RoundResult(state, examples, minibatches, lossSum, trainNanos, taskPhases);
    }
}
