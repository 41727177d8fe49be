package io.sparkcnn.workers.data;

import java.util.Iterator;
import org.nd4j.linalg.dataset.DataSet;

/** Minibatches from records that already hold the network's input as raw bytes (IDX, CIFAR): no augmentation. */
public record RawBatches(ImageShape shape, int classes) implements BatchMaker {
    @Override
    public Iterator<DataSet> minibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch) {
        return new Minibatches(records, shape, classes, batchSize);
    }
}
