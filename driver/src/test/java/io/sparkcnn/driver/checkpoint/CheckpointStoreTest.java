package io.sparkcnn.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.workers.train.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    /** A listener state as a checkpoint keeps it: a record, here with a list and a value JSON has no number for. */
    record Tally(double best, List<Integer> history) {}

    /** A listener whose state is a {@link Tally}. */
    static final class Tallying implements StatefulListener<Tally> {
        private final String name;
        Tally tally;

        Tallying(String name, Tally tally) {
            this.name = name;
            this.tally = tally;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<Tally> stateType() {
            return Tally.class;
        }

        @Override
        public Tally state() {
            return tally;
        }

        @Override
        public void restore(Tally state) {
            tally = state;
        }
    }

    private static Checkpoint at(int epoch, int round) {
        ModelState state = new ModelState(new float[] {epoch, round, 0.5f, -1e-7f}, new float[] {3, 4}, 17, epoch - 1);
        return new Checkpoint(new Position(epoch, round), 4, state, ListenerStates.of(List.of(
                new Tallying("tally", new Tally(0.875, List.of(1, 2))),
                new Tallying("worst", new Tally(Double.NEGATIVE_INFINITY, List.of())))));
    }

    @Test
    void aCheckpointReadsBackExactly() {
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path file = store.write(at(2, 7));

        Checkpoint read = CheckpointStore.readFile(file);

        assertEquals(new Position(2, 7), read.next());
        assertArrayEquals(new float[] {2, 7, 0.5f, -1e-7f}, read.state().params());
        assertArrayEquals(new float[] {3, 4}, read.state().updaterState());
        assertEquals(17, read.state().iterations());
        assertEquals(1, read.state().epochs());
        assertEquals(4, read.nextRoundBlocks());
        Tallying fresh = new Tallying("tally", null);
        assertTrue(read.listeners().restore(fresh));
        assertEquals(new Tally(0.875, List.of(1, 2)), fresh.tally, "the state comes back as the record it was");
        assertEquals(new Tally(Double.NEGATIVE_INFINITY, List.of()),
                read.listeners().get("worst", Tally.class).orElseThrow(), "an infinite value survives JSON");
        assertFalse(read.listeners().restore(new Tallying("absent", null)), "a listener it has no state for");
        assertEquals(new Position(2, 7), CheckpointStore.positionOf(file).orElseThrow());
    }

    @Test
    void onlyTheNewestAreKeptAndTheNewestIsLatest() {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.write(at(1, 5));
        store.write(at(1, 10));
        store.write(at(2, 0));

        assertEquals(2, store.list().size());
        assertEquals(new Position(2, 0), store.latest(new ArrayList<>()).orElseThrow().next());
    }

    @Test
    void aDamagedNewestCheckpointIsReportedAndThePreviousOneIsUsed() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.write(at(1, 5));
        Path newest = store.write(at(1, 10));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[40] ^= 1;
        Files.write(newest, bytes);

        List<String> skipped = new ArrayList<>();
        Checkpoint latest = store.latest(skipped).orElseThrow();

        assertEquals(new Position(1, 5), latest.next());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains(newest.toString()) && skipped.get(0).contains("checksum"), skipped.get(0));
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws IOException {
        Path file = new CheckpointStore(dir, 3).write(at(3, 1));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        CheckpointStore.CheckpointException e = assertThrows(CheckpointStore.CheckpointException.class,
                () -> CheckpointStore.readFile(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void twoListenersOfOneNameAreRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenerStates.of(List.of(
                new Tallying("tally", new Tally(1, List.of())), new Tallying("tally", new Tally(2, List.of())))));
        assertTrue(e.getMessage().contains("'tally'"), e.getMessage());
    }

    @Test
    void aStateThatDoesNotFitItsRecordIsRefusedNamingTheListener() {
        Path file = new CheckpointStore(dir, 3).write(at(1, 2));
        ListenerStates states = CheckpointStore.readFile(file).listeners();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> states.get("tally", Position.class));
        assertTrue(e.getMessage().contains("'tally'") && e.getMessage().contains("Position"), e.getMessage());
    }

    @Test
    void aCheckpointOfTheOlderFormatIsRefusedSayingSo() throws IOException {
        Path file = dir.resolve("ckpt-e0001-b00002.bin");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(body)) {
            out.writeUTF("spark-cnn checkpoint v1");
            out.writeInt(1);
        }
        byte[] bytes = body.toByteArray();
        try (var out = Files.newOutputStream(file)) {
            out.write(bytes);
            out.write(sha256(bytes));
        }

        CheckpointStore.CheckpointException e = assertThrows(CheckpointStore.CheckpointException.class,
                () -> CheckpointStore.readFile(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("older"), e.getMessage());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEmptyOrMissingFolderHasNoCheckpoint() {
        assertTrue(new CheckpointStore(dir.resolve("none"), 2).latest(new ArrayList<>()).isEmpty());
    }

    /** A listener that also keeps weights, as the EMA does. */
    static final class Weighing implements StatefulListener<Tally> {
        float[] weights;
        Tally tally = new Tally(1, List.of());

        @Override
        public String name() {
            return "weighing";
        }

        @Override
        public Class<Tally> stateType() {
            return Tally.class;
        }

        @Override
        public Tally state() {
            return tally;
        }

        @Override
        public void restore(Tally state) {
            tally = state;
        }

        @Override
        public float[] weights() {
            return weights;
        }

        @Override
        public void restoreWeights(float[] saved) {
            weights = saved;
        }
    }

    @Test
    void aListenersWeightsComeBackBitForBitBesideItsState() {
        Weighing saving = new Weighing();
        saving.weights = new float[] {Float.MIN_VALUE, -0f, 1e-38f, Float.NaN, 3.4e38f, 0.1f};
        Path file = new CheckpointStore(dir, 3).write(new Checkpoint(new Position(1, 2), 1, at(1, 2).state(),
                ListenerStates.of(List.of(saving))));

        Weighing restored = new Weighing();
        assertTrue(CheckpointStore.readFile(file).listeners().restore(restored));

        assertEquals(java.util.Arrays.toString(floatBits(saving.weights)),
                java.util.Arrays.toString(floatBits(restored.weights)), "the raw bits, -0 and NaN included");
    }

    @Test
    void aCheckpointOfTheFormatBeforeListenerWeightsStillReadsWithNone() throws Exception {
        Path file = new CheckpointStore(dir, 3).write(at(2, 3));
        byte[] all = Files.readAllBytes(file);
        // v3 is v2 with a count of listener weights (here 0) after the model's state: take it off, say v2.
        byte[] body = java.util.Arrays.copyOf(all, all.length - 32 - 4);
        String magic = "spark-cnn checkpoint v3";
        assertEquals(magic, new String(body, 2, magic.length(), java.nio.charset.StandardCharsets.UTF_8));
        body[2 + magic.length() - 1] = '2';
        byte[] v2 = java.util.Arrays.copyOf(body, body.length + 32);
        System.arraycopy(java.security.MessageDigest.getInstance("SHA-256").digest(body), 0, v2, body.length, 32);
        Files.write(file, v2);

        Checkpoint read = CheckpointStore.readFile(file);

        assertArrayEquals(at(2, 3).state().params(), read.state().params());
        assertTrue(read.listeners().weights("tally").isEmpty());
        assertTrue(read.listeners().restore(new Tallying("tally", null)));
    }

    private static int[] floatBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
