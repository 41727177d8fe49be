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
