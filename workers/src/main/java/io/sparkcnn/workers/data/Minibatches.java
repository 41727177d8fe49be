package io.sparkcnn.workers.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decodes raw records into minibatches on the executor: unsigned bytes scaled to [0, 1] as NCHW features and
 * one-hot labels. The last minibatch of a shard may be smaller than {@code batchSize}; it is kept, not dropped.
 */
public final class Minibatches implements Iterator<DataSet> {
    private final Iterator<LabeledImage> records;
    private final ImageShape shape;
    private final int classes;
    private final int batchSize;

    public Minibatches(Iterator<LabeledImage> records, ImageShape shape, int classes, int batchSize) {
        this.records = records;
        this.shape = shape;
        this.classes = classes;
        this.batchSize = batchSize;
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
    }

    @Override
    public DataSet next() {
        if (!records.hasNext()) {
            throw new NoSuchElementException();
        }
        int pixels = shape.pixels();
        float[] features = new float[batchSize * pixels];
        float[] labels = new float[batchSize * classes];
        int n = 0;
        while (n < batchSize && records.hasNext()) {
            LabeledImage record = records.next();
            if (record.pixels().length != pixels) {
                throw new DataException("record " + record.id() + " has " + record.pixels().length
                        + " bytes, but the network's input " + shape + " needs " + pixels + ".");
            }
            if (record.label() < 0 || record.label() >= classes) {
                throw new DataException("record " + record.id() + " has label " + record.label()
                        + ", outside the job's " + classes + " classes.");
            }
            decode(record.pixels(), features, n * pixels);
            labels[n * classes + record.label()] = 1f;
            n++;
        }
        if (n < batchSize) {
            features = Arrays.copyOf(features, n * pixels);
            labels = Arrays.copyOf(labels, n * classes);
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, shape.channels(), shape.height(), shape.width()}, 'c'),
                Nd4j.create(labels, new long[] {n, classes}, 'c'));
    }

    private static void decode(byte[] raw, float[] into, int offset) {
        for (int i = 0; i < raw.length; i++) {
            into[offset + i] = (raw[i] & 0xff) / 255f;
        }
    }
}
