package io.sparkcnn.driver.engine;

/**
 * What one averaging round did: where it stands in the run, how many examples it trained on, their mean
 * minibatch loss, its wall time on the driver and the longest training step among its workers (the rest of the
 * round is the averaging overhead: broadcast, task launch, aggregation), the bytes broadcast, and the
 * learning rate the workers used.
 */
public record RoundStats(
        int epoch, int epochs, int round, int roundsInEpoch, int workers, long examples, double meanLoss,
        long wallNanos, long maxTrainNanos, long broadcastBytes, double learningRate) {

    public double imagesPerSecond() {
        return examples / (wallNanos / 1e9);
    }

    /** The share of the round's wall time spent outside the slowest worker's training step. */
    public double overheadShare() {
        return Math.max(0, 1.0 - (double) maxTrainNanos / wallNanos);
    }
}
