package io.sparkcnn.jobs.source;

import io.sparkcnn.jobs.train.TrainJobSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.CheckpointWriter;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.jobs.config.ConfigError;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.architectures.Finetune;
import io.sparkcnn.jobs.architectures.LeNet5;
import io.sparkcnn.workers.data.CifarLabels;
import io.sparkcnn.workers.data.CifarReader;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.IdxReader;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.image.ImageDecoder;
import io.sparkcnn.workers.train.ModelState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input for every decoder a run reads: truncated, bit-flipped, spliced and random versions of a valid
 * file, from a fixed seed. Every input must end, within a time limit, in the decoder's own error naming the file
 * (or decode, when the damage happens to leave a valid file); never a hang, a crash or an unrelated exception.
 */
class HostileInputFuzzTest {
    private static final long SEED = 20261123L;
    private static final Configuration HADOOP = new Configuration();
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path tmp;

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    /** How a decoder is called on a file, and what it throws when the file is bad. */
    private interface Decoder {
        void decode(Path file) throws Exception;
    }

    @Test
    void idxFilesPlainAndGzipped() throws Exception {
        byte[] valid = idxImages(5, 6, 7);
        int tried = fuzz("idx", valid, 300, f -> IdxReader.readImages(f.toString(), HADOOP), DataException.class);
        tried += fuzz("idx.gz", gzip(valid), 200, f -> IdxReader.readImages(f.toString(), HADOOP),
                DataException.class);
        assertEquals(500, tried);
    }

    @Test
    void cifarBinaryBatches() throws Exception {
        byte[] valid = new byte[3 * 3073];
        new Random(SEED).nextBytes(valid);
        for (int r = 0; r < 3; r++) {
            valid[r * 3073] = (byte) r;
        }
        assertEquals(300, fuzz("cifar", valid, 300,
                f -> CifarReader.readBatch(f.toString(), HADOOP, CifarLabels.CIFAR_10, 0), DataException.class));
    }

    @Test
    void imageFiles() throws Exception {
        BufferedImage image = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(SEED);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        int tried = 0;
        for (String format : List.of("png", "jpg", "bmp", "gif")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(image, format, bytes), format);
            tried += fuzz("image." + format, bytes.toByteArray(), 150,
                    f -> ImageDecoder.decode(Files.readAllBytes(f), f.toString(), 3), DataException.class);
        }
        assertEquals(600, tried);
    }

    @Test
    void jobConfigs() throws Exception {
        byte[] valid = Files.readAllBytes(TrainJobSpec.CONF.toPath());
        assertEquals(300, fuzz("conf", valid, 300, f -> JobConfig.load(f.toFile(), List.of()), ConfigError.class));
    }

    @Test
    void checkpoints() throws Exception {
        float[] params = new float[500];
        Arrays.fill(params, 0.25f);
        Path file = tmp.resolve("valid.bin");
        CheckpointStore.writeFile(file, new Checkpoint(new Position(2, 3), 2, new ModelState(params, new float[40], 7, 1),
                ListenerStates.of(List.of(new CheckpointWriter(new CheckpointStore(tmp, 1), 0, 2, List.of())))));
        assertEquals(300, fuzz("ckpt-e0002-b00003.bin", Files.readAllBytes(file), 300,
                CheckpointStore::readFile, CheckpointStore.CheckpointException.class));
    }

    @Test
    void modelZips() throws Exception {
        File zip = tmp.resolve("valid.zip").toFile();
        ModelSerializer.writeModel(leNet(), zip, true);
        assertEquals(60, fuzz("model.zip", Files.readAllBytes(zip.toPath()), 60, f -> Finetune.load(f.toString()),
                IllegalArgumentException.class));
    }

    /** A zip carrying DL4J's Java-serialised entry is refused before anything in it is deserialised. */
    @Test
    void aModelZipWithAJavaSerialisedEntryIsRefusedUnread() throws Exception {
        MultiLayerNetwork net = leNet();
        File valid = tmp.resolve("valid.zip").toFile();
        ModelSerializer.writeModel(net, valid, false);
        Path hostile = tmp.resolve("hostile.zip");
        try (var in = new java.util.zip.ZipFile(valid); var out = new ZipOutputStream(Files.newOutputStream(hostile))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(in.getInputStream(entry).readAllBytes());
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            ByteArrayOutputStream object = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(object)) {
                o.writeObject(new Tripwire());
            }
            out.write(object.toByteArray());
        }
        Tripwire.deserialised = false;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Finetune.load(hostile.toString()));

        assertTrue(e.getMessage().contains(hostile.toString()) && e.getMessage().contains("preprocessor.bin"),
                e.getMessage());
        assertFalse(Tripwire.deserialised, "nothing in the zip was deserialised");
        assertEquals(net.numParams(), ((MultiLayerNetwork) Finetune.load(valid.toString())).numParams());
    }

    /** Records whether Java deserialisation ever instantiated it. */
    static final class Tripwire implements Serializable {
        static volatile boolean deserialised;

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialised = true;
        }
    }

    /**
     * Feeds {@code count} damaged versions of {@code valid} to {@code decoder}, each in a file named
     * {@code name}; returns how many were tried. Each must finish in 20 s, and either decode or throw
     * {@code expected} with a message naming the file.
     */
    private int fuzz(String name, byte[] valid, int count, Decoder decoder, Class<? extends Exception> expected)
            throws Exception {
        Random random = new Random(SEED ^ name.hashCode());
        int rejected = 0;
        for (int i = 0; i < count; i++) {
            byte[] input = mutate(valid, random, i);
            Path dir = Files.createDirectories(tmp.resolve(name + "-" + i));
            Path file = dir.resolve(name);
            Files.write(file, input);
            Future<?> run = RUNNER.submit(() -> {
                decoder.decode(file);
                return null;
            });
            try {
                run.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                fail(name + " input " + i + " (" + input.length + " bytes) did not finish in 20 s");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (!expected.isInstance(cause)) {
                    throw new AssertionError(name + " input " + i + ": expected " + expected.getSimpleName()
                            + ", got " + cause, cause);
                }
                assertTrue(cause.getMessage() != null && cause.getMessage().contains(name),
                        name + " input " + i + ": the error names the file: " + cause.getMessage());
                rejected++;
            }
            deleteQuietly(dir);
        }
        System.out.printf("fuzz %s: %d inputs tried, %d refused with a clear error, %d decoded%n", name, count,
                rejected, count - rejected);
        assertTrue(rejected > count / 2, name + ": most damaged inputs are refused (" + rejected + "/" + count + ")");
        return count;
    }

    /** Truncation, byte flips, a spliced or duplicated chunk, or random bytes, in turn. */
    private static byte[] mutate(byte[] valid, Random random, int i) {
        switch (i % 4) {
            case 0:
                return Arrays.copyOf(valid, random.nextInt(valid.length));
            case 1: {
                byte[] copy = valid.clone();
                for (int k = 1 + random.nextInt(8); k > 0; k--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return copy;
            }
            case 2: {
                int from = random.nextInt(valid.length);
                int length = random.nextInt(valid.length - from) + 1;
                int at = random.nextInt(valid.length);
                ByteBuffer b = ByteBuffer.allocate(valid.length + length);
                b.put(valid, 0, at).put(valid, from, length).put(valid, at, valid.length - at);
                return b.array();
            }
            default: {
                byte[] noise = new byte[random.nextInt(2 * valid.length + 1)];
                random.nextBytes(noise);
                // Keep the first bytes now and then, so that the noise gets past the format's magic number.
                if (random.nextBoolean()) {
                    System.arraycopy(valid, 0, noise, 0, Math.min(16, Math.min(valid.length, noise.length)));
                }
                return noise;
            }
        }
    }

    private static MultiLayerNetwork leNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(LeNet5.configuration(new ImageShape(1, 28, 28), 10,
                new Adam(1e-3), SEED));
        net.init();
        return net;
    }

    private static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void deleteQuietly(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
