package io.sparkcnn.driver.engine;

/** Training produced a non-finite loss: the run stops in the round where it appeared. */
public final class DivergedException extends RuntimeException {
    public DivergedException(int epoch, int round, double loss) {
        super("training diverged: the mean loss of epoch " + epoch + ", round " + round + " is " + loss
                + ". Lower training.learning-rate or the batch size, then run again.");
    }
}
