package io.sparkcnn.workers.data;

import java.io.Serializable;
import java.util.Iterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Turns a shard's records into minibatches on the executor: decoding, preprocessing and (for training)
 * augmentation, whose random draws come from the job's seed, the epoch and each record's id.
 */
public interface BatchMaker extends Serializable {
    Iterator<DataSet> minibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch);

    /**
     * A training task's minibatches: those of {@link #minibatches}, for worker {@code worker}'s round of
     * {@code epoch} that starts at block {@code firstBlock} (blocks of {@code tau} steps), the ids a maker with
     * batch-level draws ({@link RecipeBatches}: mixup, cutmix) seeds each step from.
     */
    default Iterator<DataSet> trainingMinibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch,
                                                  int firstBlock, int tau, int worker) {
        return minibatches(records, batchSize, seed, epoch);
    }

    /** Releases what an iterator from {@link #minibatches} holds (a prefetch thread), if anything. */
    static void close(Iterator<DataSet> batches) {
        if (batches instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the minibatch iterator", e);
            }
        }
    }
}
