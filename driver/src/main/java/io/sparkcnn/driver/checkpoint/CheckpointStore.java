package io.sparkcnn.driver.checkpoint;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.workers.train.ModelState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints in one folder, one file per checkpoint ({@code ckpt-e0003-b00012.bin}: the position of
 * the next round, epoch 3 from its block 12). A file is written under a temporary name and renamed into place, and ends with a
 * SHA-256 of its content, so that a crash mid-write or a damaged file is detected on loading and the previous
 * checkpoint is used instead. The newest {@code keep} checkpoints are kept.
 *
 * <p>Our own small format rather than DL4J's model zip: a checkpoint holds the engine's flat state and the
 * driver's bookkeeping, not a network, and must be cheap enough to write every few rounds.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String MAGIC = "spark-cnn checkpoint v3";
    /** The format before listeners' weights (v3 appends them after the model's state); read as having none. */
    private static final String MAGIC_V2 = "spark-cnn checkpoint v2";
    /** The format before listener states were typed records (its driver state was one untyped map). */
    private static final String MAGIC_V1 = "spark-cnn checkpoint v1";
    private static final Pattern NAME = Pattern.compile("ckpt-e(\\d+)-b(\\d+)\\.bin");

    private final Path dir;
    private final int keep;
    private Runnable afterWrite = () -> {};

    public CheckpointStore(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * Runs {@code action} after every checkpoint written (and the old ones dropped): for a run folder on HDFS,
     * the copy to where another driver (YARN's next application attempt, a --resume) looks for checkpoints.
     */
    public CheckpointStore afterEachWrite(Runnable action) {
        this.afterWrite = action;
        return this;
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code checkpoint} atomically and drops the oldest beyond {@code keep}; returns its file. */
    public Path write(Checkpoint checkpoint) {
        Position p = checkpoint.next();
        Path file = dir.resolve(String.format("ckpt-e%04d-b%05d.bin", p.epoch(), p.block()));
        writeFile(file, checkpoint);
        List<Path> all = list();
        for (int i = keep; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                LOG.warn("could not delete old checkpoint {}: {}", all.get(i), e.getMessage());
            }
        }
        afterWrite.run();
        return file;
    }

    /**
     * The newest checkpoint that loads and verifies. Damaged ones are skipped, each named in {@code skipped}
     * with the reason, so that the caller can report them.
     */
    public Optional<Checkpoint> latest(List<String> skipped) {
        for (Path file : list()) {
            try {
                return Optional.of(readFile(file));
            } catch (CheckpointException e) {
                skipped.add(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checkpoint files, newest position first. */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes one checkpoint file (also used for the best model's state) atomically. */
    public static void writeFile(Path file, Checkpoint checkpoint) {
        try {
            Files.createDirectories(file.getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(MAGIC);
                Position p = checkpoint.next();
                ModelState s = checkpoint.state();
                out.writeInt(p.epoch());
                out.writeInt(p.block());
                out.writeInt(s.iterations());
                out.writeInt(s.epochs());
                out.writeInt(checkpoint.nextRoundBlocks());
                byte[] listeners = checkpoint.listeners().toJson();
                out.writeInt(listeners.length);
                out.write(listeners);
                writeFloats(out, s.params());
                writeFloats(out, s.updaterState());
                Map<String, float[]> weights = checkpoint.listeners().allWeights();
                out.writeInt(weights.size());
                for (Map.Entry<String, float[]> w : weights.entrySet()) {
                    out.writeUTF(w.getKey());
                    writeFloats(out, w.getValue());
                }
            }
            byte[] body = bytes.toByteArray();
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                out.write(body);
                out.write(sha256(body));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A half-written temporary (a full disk) must not take up the space the next attempt needs.
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and verifies one checkpoint file. */
    public static Checkpoint readFile(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot be read: " + e.getMessage());
        }
        if (all.length < 32) {
            throw new CheckpointException(file + ": truncated (" + all.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new CheckpointException(file + ": checksum mismatch (the file is damaged or was cut short)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            String magic = in.readUTF();
            if (MAGIC_V1.equals(magic)) {
                throw new CheckpointException(file + ": written by an older spark-cnn (checkpoint format v1), which"
                        + " this version cannot resume; start the run again.");
            }
            if (!MAGIC.equals(magic) && !MAGIC_V2.equals(magic)) {
                throw new CheckpointException(file + ": not a spark-cnn checkpoint");
            }
            Position next = new Position(in.readInt(), in.readInt());
            int iterations = in.readInt();
            int epochs = in.readInt();
            int nextRoundBlocks = in.readInt();
            if (nextRoundBlocks < 1) {
                throw new IOException("the next round's blocks are " + nextRoundBlocks + ", not at least 1");
            }
            byte[] listeners = new byte[checkedLength(in, in.readInt(), 1)];
            in.readFully(listeners);
            float[] params = readFloats(in);
            float[] updater = readFloats(in);
            Map<String, float[]> weights = new LinkedHashMap<>();
            int named = MAGIC_V2.equals(magic) ? 0 : checkedLength(in, in.readInt(), 6);
            for (int i = 0; i < named; i++) {
                String name = in.readUTF();
                if (weights.put(name, readFloats(in)) != null) {
                    throw new IOException("weights of listener '" + name + "' are saved twice");
                }
            }
            ListenerStates states = ListenerStates.fromJson(listeners, weights);
            return new Checkpoint(next, nextRoundBlocks, new ModelState(params, updater, iterations, epochs), states);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot be decoded: " + e.getMessage());
        }
    }

    /** The position a checkpoint file name encodes, or empty for other files. */
    public static Optional<Position> positionOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(new Position(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        byte[] buffer = new byte[values.length * 4];
        java.nio.ByteBuffer.wrap(buffer).asFloatBuffer().put(values);
        out.write(buffer);
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = checkedLength(in, in.readInt(), 4);
        byte[] buffer = new byte[n * 4];
        in.readFully(buffer);
        float[] values = new float[n];
        java.nio.ByteBuffer.wrap(buffer).asFloatBuffer().get(values);
        return values;
    }

    /**
     * A length read from the file, checked against the bytes left before anything is allocated: a crafted file
     * that passes the checksum must not make the driver allocate gigabytes.
     */
    private static int checkedLength(DataInputStream in, int n, int bytesEach) throws IOException {
        if (n < 0 || (long) n * bytesEach > in.available()) {
            throw new IOException("a length of " + n + " does not fit in the " + in.available() + " bytes left");
        }
        return n;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** A checkpoint that cannot be used; the message names the file and why. */
    public static final class CheckpointException extends RuntimeException {
        CheckpointException(String message) {
            super(message);
        }
    }
}
