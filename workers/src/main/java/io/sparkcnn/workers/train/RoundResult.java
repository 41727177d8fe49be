package io.sparkcnn.workers.train;

import java.io.Serializable;

/**
 * One worker's contribution to an averaging round: how its local steps changed the parameters and the updater
 * state (with the iteration counter it reached),
 * how many examples and minibatches it trained on, the sum of its minibatch losses, and the time spent in the
 * training step itself (to separate compute from the round's Spark overhead).
 */
public record RoundResult(
        ModelState state, long examples, int minibatches, double lossSum, long trainNanos) implements Serializable {}
