package io.sparkcnn.workers.data;

import io.sparkcnn.workers.augment.ImageTransforms;
import io.sparkcnn.workers.image.Channels;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.image.ImageDecoder;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The executor's image path from records to minibatches: decode (raw IDX/CIFAR pixels, or an encoded file),
 * convert to the network's channel count, preprocess, augment (seeded by the job's seed, the epoch and the
 * record id) and normalise, then stack NCHW features and one-hot labels. A prefetch thread builds the next
 * minibatches while the network trains on the current one; callers close the iterator if it is
 * {@link AutoCloseable}.
 *
 * @param raw       the records' pixel layout when they hold raw CHW bytes; null when they hold encoded files
 * @param output    the network's input; every transformed image must have this shape
 * @param prefetch  minibatches built ahead (0: build them on the training thread)
 */
public record ImageBatches(ImageShape raw, ImageShape output, int classes, ImageTransforms transforms, int prefetch)
        implements BatchMaker {

    @Override
    public Iterator<DataSet> minibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch) {
        Iterator<DataSet> built = new Minibatches(records, output, classes, batchSize,
                (record, into, offset) -> transform(record, seed, epoch).writeChw(into, offset));
        return prefetch > 0 ? new Prefetcher(built, prefetch) : built;
    }

    /** One record through decoding and the transforms, as {@link #minibatches} does it (also for previews). */
    public Image transform(LabeledImage record, long seed, int epoch) {
        Image decoded = raw != null
                ? Image.fromChwBytes(checkedRaw(record), raw.height(), raw.width(), raw.channels())
                : ImageDecoder.decode(record.pixels(), record.describe(), output.channels());
        Image image = Channels.convert(decoded, output.channels());
        Image out = transforms.apply(image, seed, epoch, record.id());
        if (out.height() != output.height() || out.width() != output.width() || out.channels() != output.channels()) {
            throw new DataException(record.describe() + ": becomes a " + out + " image after preprocessing, but the"
                    + " network's input is " + output + "; set data.preprocess height/width (or a crop) so that"
                    + " every image ends up that size.");
        }
        return out;
    }

    private byte[] checkedRaw(LabeledImage record) {
        if (record.pixels().length != raw.pixels()) {
            throw new DataException(record.describe() + " has " + record.pixels().length + " bytes, but " + raw
                    + " records need " + raw.pixels() + ".");
        }
        return record.pixels();
    }

    /**
     * Runs an iterator on a daemon thread, {@code depth} items ahead of the consumer. A failure on that thread
     * (a bad image under the fail policy) is rethrown to the consumer with its message intact.
     */
    static final class Prefetcher implements Iterator<DataSet>, AutoCloseable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue;
        private final Thread producer;
        private Object head;

        Prefetcher(Iterator<DataSet> source, int depth) {
            this.queue = new ArrayBlockingQueue<>(depth + 1);
            producer = new Thread(() -> {
                try {
                    while (source.hasNext()) {
                        queue.put(source.next());
                    }
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    queue.offer(e);
                }
            }, "spark-cnn-prefetch");
            producer.setDaemon(true);
            producer.start();
        }

        @Override
        public boolean hasNext() {
            if (head == null) {
                try {
                    head = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next minibatch", e);
                }
            }
            if (head instanceof RuntimeException e) {
                throw e;
            }
            if (head instanceof Error e) {
                throw e;
            }
            return head != END;
        }

        @Override
        public DataSet next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DataSet next = (DataSet) head;
            head = null;
            return next;
        }

        /** Stops the producer when the consumer leaves early (a failed training step), so no thread lingers. */
        @Override
        public void close() {
            producer.interrupt();
        }
    }
}
