package io.sparkcnn.driver.engine;

/**
 * One epoch's totals: examples trained on, mean minibatch loss, wall time (its setup included), the setup's share
 * of it (dealing the records into the epoch's blocks: one shuffle pass over the data) and the mean averaging
 * overhead of its rounds.
 */
public record EpochStats(int epoch, int rounds, long examples, double meanLoss, double seconds, double setupSeconds,
                         double overheadShare) {
    /** An epoch whose setup was not timed apart. */
    public EpochStats(int epoch, int rounds, long examples, double meanLoss, double seconds, double overheadShare) {
        this(epoch, rounds, examples, meanLoss, seconds, 0, overheadShare);
    }

    public double imagesPerSecond() {
        return examples / seconds;
    }
}
