package io.sparkcnn.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkcnn.driver.engine.EpochStats;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.workers.train.ModelState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints every K rounds and at each epoch's end, with the listeners' states, and across a resume. */
class CheckpointWriterTest {
    @TempDir
    Path dir;

    private static final ModelState STATE = new ModelState(new float[] {1, 2}, new float[] {3}, 5, 0);

    /** Epoch {@code epoch} of 5 units in rounds of one unit, of which {@code from} are done. */
    private static void epoch(CheckpointWriter writer, CheckpointStoreTest.Tallying tally, int epoch, int from) {
        for (int unit = from + 1; unit <= 5; unit++) {
            tally.tally = new CheckpointStoreTest.Tally(epoch + unit / 10.0, List.of(epoch, unit));
            writer.onRound(new RoundStats(epoch, 2, unit, 5, 1, 10, 0.5, 10, 5, 4, 0.1, 1, 0.2, unit == 5 ? 2 : 1),
                    STATE, unit == 5 ? new Position(epoch + 1, 0) : new Position(epoch, unit));
        }
        writer.onEpochEnd(new EpochStats(epoch, 5 - from, 50, 0.5, 1, 0.1), STATE);
    }

    private static List<Position> positions(CheckpointStore store) {
        List<Position> all = new ArrayList<>();
        store.list().forEach(f -> all.add(CheckpointStore.positionOf(f).orElseThrow()));
        return all;
    }

    @Test
    void everySecondRoundAndEachEpochEndGetACheckpointHoldingTheListenersStates() {
        CheckpointStore store = new CheckpointStore(dir, 100);
        CheckpointStoreTest.Tallying tally = new CheckpointStoreTest.Tallying("tally", null);
        CheckpointWriter writer = new CheckpointWriter(store, 2, 1, List.of(tally));

        epoch(writer, tally, 1, 0);

        // Rounds 2 and 4 mid-epoch; round 5 ends the epoch, checkpointed once at its end.
        assertEquals(List.of(new Position(2, 0), new Position(1, 4), new Position(1, 2)), positions(store));
        Checkpoint end = store.latest(new ArrayList<>()).orElseThrow();
        assertEquals(new CheckpointStoreTest.Tally(1.5, List.of(1, 5)),
                end.listeners().get("tally", CheckpointStoreTest.Tally.class).orElseThrow());
        assertEquals(2, end.nextRoundBlocks(), "the k the last round chose");
        assertEquals(new CheckpointWriter.State(5), end.listeners().get("checkpoints", CheckpointWriter.State.class)
                .orElseThrow(), "the writer's own count");
    }

    @Test
    void aResumedWriterCountsOnAndCheckpointsWhereTheUninterruptedOneDid() {
        CheckpointStore full = new CheckpointStore(dir.resolve("full"), 100);
        CheckpointStoreTest.Tallying tally = new CheckpointStoreTest.Tallying("tally", null);
        CheckpointWriter uninterrupted = new CheckpointWriter(full, 3, 1, List.of(tally));
        epoch(uninterrupted, tally, 1, 0);
        epoch(uninterrupted, tally, 2, 0);

        CheckpointStore stopped = new CheckpointStore(dir.resolve("stopped"), 100);
        CheckpointWriter first = new CheckpointWriter(stopped, 3, 1, List.of(tally));
        epoch(first, tally, 1, 0);
        Checkpoint last = stopped.latest(new ArrayList<>()).orElseThrow();
        CheckpointWriter resumed = new CheckpointWriter(stopped, 3, last.nextRoundBlocks(), List.of(tally));
        last.listeners().restore(resumed);
        epoch(resumed, tally, 2, 0);

        assertEquals(positions(full), positions(stopped));
    }
}
