package io.sparkcnn.workers.testing;

import io.sparkcnn.workers.data.IdxImages;
import io.sparkcnn.workers.data.IdxReader;
import io.sparkcnn.workers.data.LabeledImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;

/**
 * Seeded synthetic images in Fashion-MNIST's form (gzipped IDX files of 28x28 grey images and their labels, ten
 * classes), for the specs that need records to train on without the Debian package. Each class is a bright bar
 * at its own place and angle over noise, shifted a little per image: easy enough that a small network's loss
 * falls within an epoch, varied enough that no two records are alike.
 */
public final class SyntheticIdx {
    public static final int SIZE = 28;
    public static final int CLASSES = 10;

    /** The two files written, to be read with {@code IdxReader} as the real ones are. */
    public record Written(Path images, Path labels) {}

    private SyntheticIdx() {}

    /** Writes {@code count} images and labels into {@code dir}; the same seed gives the same bytes. */
    public static Written write(Path dir, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * SIZE * SIZE];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % CLASSES;
            labels[i] = (byte) label;
            draw(label, random, pixels, i * SIZE * SIZE);
        }
        try {
            Files.createDirectories(dir);
            Path images = dir.resolve("train-images-idx3-ubyte.gz");
            Path labelFile = dir.resolve("train-labels-idx1-ubyte.gz");
            write(images, new int[] {0x00000803, count, SIZE, SIZE}, pixels);
            write(labelFile, new int[] {0x00000801, count}, labels);
            return new Written(images, labelFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Class {@code label}: a 4-pixel-wide bar, horizontal for 0-4 and vertical for 5-9, at one of 5 places. */
    private static void draw(int label, SplittableRandom random, byte[] out, int offset) {
        int place = 3 + (label % 5) * 5 + random.nextInt(-1, 2);
        boolean vertical = label >= 5;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int along = vertical ? x : y;
                int value = along >= place && along < place + 4 ? 200 + random.nextInt(56) : random.nextInt(60);
                out[offset + y * SIZE + x] = (byte) value;
            }
        }
    }

    private static void write(Path file, int[] header, byte[] body) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            for (int h : header) {
                out.writeInt(h);
            }
            out.write(body);
        }
    }

    /** {@link #write}, then the records read back as a job reads the real files: ids 0 to count - 1. */
    public static List<LabeledImage> records(Path dir, int count, long seed) {
        Written data = write(dir, count, seed);
        IdxImages images = IdxReader.readImages(data.images().toString(), new Configuration());
        byte[] labels = IdxReader.readLabels(data.labels().toString(), new Configuration(), CLASSES);
        List<LabeledImage> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new LabeledImage(i, labels[i], images.image(i)));
        }
        return records;
    }
}
