package io.sparkcnn.workers.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stacks records into minibatches on the executor: NCHW features and one-hot labels. By default a record's raw
 * unsigned bytes are scaled to [0, 1]; an {@link Input} can decode and transform them instead. The last
 * minibatch of a shard may be smaller than {@code batchSize}; it is kept, not dropped.
 */
public final class Minibatches implements Iterator<DataSet> {
    /** Writes one record's network input, {@code shape.pixels()} floats in CHW order, at {@code offset}. */
    public interface Input {
        void write(LabeledImage record, float[] into, int offset);
    }

    private final Iterator<LabeledImage> records;
    private final ImageShape shape;
    private final int classes;
    private final int batchSize;
    private final Input input;

    public Minibatches(Iterator<LabeledImage> records, ImageShape shape, int classes, int batchSize) {
        this(records, shape, classes, batchSize, null);
    }

    public Minibatches(Iterator<LabeledImage> records, ImageShape shape, int classes, int batchSize, Input input) {
        this.records = records;
        this.shape = shape;
        this.classes = classes;
        this.batchSize = batchSize;
        this.input = input;
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
            if (input == null && record.pixels().length != pixels) {
                throw new DataException("record " + record.id() + " has " + record.pixels().length
                        + " bytes, but the network's input " + shape + " needs " + pixels + ".");
            }
            if (record.label() < 0 || record.label() >= classes) {
                throw new DataException(record.describe() + " has label " + record.label()
                        + ", outside the job's " + classes + " classes.");
            }
            if (input == null) {
                decode(record.pixels(), features, n * pixels);
            } else {
                input.write(record, features, n * pixels);
            }
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
