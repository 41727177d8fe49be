package io.sparkcnn.driver.engine;

/**
 * Training produced a non-finite loss or parameters: the run stops in the round where it appeared, named by its
 * epoch and the blocks of tau steps it covered (counted from 1).
 */
public final class DivergedException extends RuntimeException {
    public DivergedException(int epoch, int firstBlock, int lastBlock, double loss) {
        this(epoch, firstBlock, lastBlock, loss, "");
    }

    DivergedException(int epoch, int firstBlock, int lastBlock, double loss, String detail) {
        super("training diverged: the mean loss of epoch " + epoch + ", "
                + (firstBlock == lastBlock ? "block " + lastBlock : "blocks " + firstBlock + "-" + lastBlock)
                + " is " + loss + detail + ". Lower training.learning-rate or the batch size, or set"
                + " training.on-divergence = rollback, then run again.");
    }
}
