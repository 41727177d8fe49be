package io.sparkcnn.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.workers.train.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Checkpoint at(int epoch, int round) {
        ModelState state = new ModelState(new float[] {epoch, round, 0.5f, -1e-7f}, new float[] {3, 4}, 17, epoch - 1);
        return new Checkpoint(new Position(epoch, round), state, Map.of("best", 0.875, "history", List.of(1, 2)));
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
        assertEquals(0.875, read.extras().get("best"));
        assertEquals(List.of(1, 2), read.extras().get("history"));
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
    void anEmptyOrMissingFolderHasNoCheckpoint() {
        assertTrue(new CheckpointStore(dir.resolve("none"), 2).latest(new ArrayList<>()).isEmpty());
    }
}
