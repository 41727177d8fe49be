package io.sparkcnn.driver.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochShardsTest {
    private static final long SEED = 42;

    @ParameterizedTest(name = "{0} records into {1} partitions")
    @CsvSource({"1000, 7", "60000, 2", "10, 10", "1, 1", "1, 4", "3, 8", "17, 1", "101, 100"})
    void everyRecordLandsInExactlyOneBalancedShardAtOnePosition(int records, int partitions) {
        EpochShards shards = EpochShards.deal(records, partitions, SEED, 3);
        ShardRanges ranges = shards.ranges();

        int[] sizes = new int[partitions];
        boolean[] positionTaken = new boolean[records];
        for (int id = 0; id < records; id++) {
            int position = shards.positionOf(id);
            int partition = shards.partitionOf(id);
            assertTrue(position >= 0 && position < records, "record " + id + " at position " + position);
            assertFalse(positionTaken[position], "two records at position " + position);
            positionTaken[position] = true;
            assertTrue(partition >= 0 && partition < partitions, "record " + id + " in partition " + partition);
            assertTrue(ranges.start(partition) <= position
                    && position < ranges.start(partition) + ranges.size(partition),
                    "record " + id + " at position " + position + " outside its partition " + partition);
            sizes[partition]++;
        }
        for (int p = 0; p < partitions; p++) {
            assertEquals(ranges.size(p), sizes[p], "partition " + p);
        }
        int smallest = Arrays.stream(sizes).min().orElseThrow();
        int largest = Arrays.stream(sizes).max().orElseThrow();
        assertTrue(largest - smallest <= 1, "sizes " + Arrays.toString(sizes));
        assertEquals(records, Arrays.stream(sizes).sum());
        assertEquals(largest, ranges.largest());
    }

    @Test
    void moreWorkersThanRecordsLeavesSomeShardsEmptyButLosesNoRecord() {
        EpochShards shards = EpochShards.deal(3, 8, SEED, 0);

        Set<Integer> used = new HashSet<>();
        for (int id = 0; id < 3; id++) {
            used.add(shards.partitionOf(id));
        }
        assertEquals(3, used.size(), "three records, three different one-record shards");
        int empty = 0;
        for (int p = 0; p < 8; p++) {
            assertTrue(shards.ranges().size(p) <= 1);
            empty += shards.ranges().size(p) == 0 ? 1 : 0;
        }
        assertEquals(5, empty);
        assertEquals(1, shards.ranges().largest());
    }

    @Test
    void aSingleRecordGoesToPositionZero() {
        EpochShards shards = EpochShards.deal(1, 1, SEED, 5);

        assertEquals(0, shards.positionOf(0));
        assertEquals(0, shards.partitionOf(0));
        assertEquals(1, shards.ranges().size(0));
    }

    @Test
    void theSameSeedAndEpochDealTheSameShards() {
        assertArrayEquals(positions(EpochShards.deal(5000, 4, SEED, 2), 5000),
                positions(EpochShards.deal(5000, 4, SEED, 2), 5000));
    }

    @Test
    void anotherEpochDealsAnotherOrder() {
        int[] epoch1 = positions(EpochShards.deal(5000, 4, SEED, 1), 5000);
        int[] epoch2 = positions(EpochShards.deal(5000, 4, SEED, 2), 5000);

        assertFalse(Arrays.equals(epoch1, epoch2));
        assertTrue(movedShare(epoch1, epoch2) > 0.9, "most records should move between epochs");
    }

    @Test
    void anotherSeedDealsAnotherOrder() {
        int[] seed42 = positions(EpochShards.deal(5000, 4, 42, 1), 5000);
        int[] seed43 = positions(EpochShards.deal(5000, 4, 43, 1), 5000);

        assertFalse(Arrays.equals(seed42, seed43));
        assertTrue(movedShare(seed42, seed43) > 0.9, "most records should move between seeds");
    }

    @Test
    void theDealIsAShuffleNotTheFileOrder() {
        int[] positions = positions(EpochShards.deal(5000, 4, SEED, 0), 5000);
        int[] identity = new int[5000];
        Arrays.setAll(identity, i -> i);

        assertTrue(movedShare(positions, identity) > 0.9);
    }

    @Test
    void overEpochsARecordVisitsEveryShard() {
        Set<Integer> visited = new HashSet<>();
        for (int epoch = 0; epoch < 100; epoch++) {
            visited.add(EpochShards.deal(100, 4, SEED, epoch).partitionOf(17));
        }
        assertEquals(Set.of(0, 1, 2, 3), visited);
    }

    @Test
    void theDealSurvivesJavaSerialisationAsSparkBroadcastsIt() throws IOException, ClassNotFoundException {
        EpochShards shards = EpochShards.deal(500, 3, SEED, 1);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(shards);
        }
        EpochShards copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EpochShards) in.readObject();
        }

        assertArrayEquals(positions(shards, 500), positions(copy, 500));
        assertEquals(shards.ranges(), copy.ranges());
    }

    @Test
    void partitionOfAgreesWithStartAndSizeForManyShapes() {
        for (int records = 1; records <= 80; records++) {
            for (int partitions = 1; partitions <= 90; partitions++) {
                checkRanges(new ShardRanges(records, partitions));
            }
        }
        checkRanges(new ShardRanges(60000, 7));
        checkRanges(new ShardRanges(59999, 16));
        checkRanges(new ShardRanges(1_000_003, 3));
    }

    @Test
    void rangesNearIntegerMaxDoNotOverflow() {
        ShardRanges ranges = new ShardRanges(Integer.MAX_VALUE, 7);

        assertEquals(0, ranges.start(0));
        assertEquals(Integer.MAX_VALUE, ranges.start(7));
        assertEquals(Integer.MAX_VALUE / 7 + 1, ranges.largest());
        for (int p = 0; p < 7; p++) {
            int start = ranges.start(p);
            int end = start + ranges.size(p) - 1;
            assertEquals(p, ranges.partitionOf(start), "first position of " + p);
            assertEquals(p, ranges.partitionOf(end), "last position of " + p);
            assertTrue(ranges.size(p) <= ranges.largest());
        }
    }

    @Test
    void noRecordsOrNoPartitionsAreRefused() {
        IllegalArgumentException noRecords = assertThrows(IllegalArgumentException.class,
                () -> new ShardRanges(0, 2));
        assertTrue(noRecords.getMessage().contains("0 records"), noRecords.getMessage());
        IllegalArgumentException noPartitions = assertThrows(IllegalArgumentException.class,
                () -> new ShardRanges(10, 0));
        assertTrue(noPartitions.getMessage().contains("0 partitions"), noPartitions.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardRanges(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> EpochShards.deal(0, 2, SEED, 0));
    }

    /** Walks every position: it must fall in [start(p), start(p) + size(p)) of the partition it is given. */
    private static void checkRanges(ShardRanges ranges) {
        String shape = ranges.records() + " records, " + ranges.partitions() + " partitions";
        assertEquals(0, ranges.start(0), shape);
        assertEquals(ranges.records(), ranges.start(ranges.partitions()), shape);
        int largest = 0;
        int smallest = Integer.MAX_VALUE;
        for (int p = 0; p < ranges.partitions(); p++) {
            largest = Math.max(largest, ranges.size(p));
            smallest = Math.min(smallest, ranges.size(p));
        }
        assertEquals(largest, ranges.largest(), shape);
        assertTrue(largest - smallest <= 1, shape);
        int expected = 0;
        for (int position = 0; position < ranges.records(); position++) {
            while (position >= ranges.start(expected) + ranges.size(expected)) {
                expected++;
            }
            assertEquals(expected, ranges.partitionOf(position), shape + ", position " + position);
        }
    }

    private static int[] positions(EpochShards shards, int records) {
        int[] out = new int[records];
        for (int id = 0; id < records; id++) {
            out[id] = shards.positionOf(id);
        }
        return out;
    }

    private static double movedShare(int[] a, int[] b) {
        int moved = 0;
        for (int i = 0; i < a.length; i++) {
            moved += a[i] != b[i] ? 1 : 0;
        }
        return (double) moved / a.length;
    }
}
