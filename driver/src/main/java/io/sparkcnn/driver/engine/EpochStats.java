package io.sparkcnn.driver.engine;

/** One epoch's totals: examples trained on, mean minibatch loss, wall time and the mean averaging overhead. */
public record EpochStats(int epoch, int rounds, long examples, double meanLoss, double seconds,
                         double overheadShare) {
    public double imagesPerSecond() {
        return examples / seconds;
    }
}
