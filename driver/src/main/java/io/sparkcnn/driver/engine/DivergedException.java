package io.sparkcnn.driver.engine;

/** Training produced a non-finite loss or parameters: the run stops in the round where it appeared. */
public final class DivergedException extends RuntimeException {
    public DivergedException(int epoch, int round, double loss) {
        this(epoch, round, loss, "");
    }

    DivergedException(int epoch, int round, double loss, String detail) {
        super("training diverged: the mean loss of epoch " + epoch + ", round " + round + " is " + loss + detail
                + ". Lower training.learning-rate or the batch size, or set training.on-divergence = rollback,"
                + " then run again.");
    }
}
