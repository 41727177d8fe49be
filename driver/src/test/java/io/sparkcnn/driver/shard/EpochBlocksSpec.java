package io.sparkcnn.driver.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkcnn.workers.data.LabeledImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The epoch's blocks on a real local-mode Spark: every round hands each worker exactly the records, in exactly the
 * order, that the engine's earlier sharding (one partition per worker, each round skipping the records of the
 * rounds before it) did, which is what keeps the trained parameters bit-identical; and a round reads only its own
 * records, the epoch its source only once.
 */
class EpochBlocksSpec {
    private static final long SEED = 23;
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("EpochBlocksSpec")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static List<LabeledImage> records(int n) {
        List<LabeledImage> records = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            records.add(new LabeledImage(id, id % 10, new byte[] {(byte) id}));
        }
        return records;
    }

    @ParameterizedTest(name = "{0} records, {1} workers, batch {2}, tau {3}")
    @CsvSource({"1000, 3, 32, 2", "600, 2, 32, 1", "1001, 2, 7, 3", "10, 4, 3, 1", "3, 8, 1, 1", "97, 1, 10, 4"})
    void everyRoundGivesEachWorkerTheRecordsAndOrderOfTheSkippingShardsOfBefore(int n, int workers, int batch,
                                                                               int tau) {
        EpochShards dealt = EpochShards.deal(n, workers, SEED, 2);
        EpochBlocks blocks = Sharder.blocksFor(sc, sc.parallelize(records(n), 3), dealt, batch, tau);
        int blocksPerWorker = blocks.layout().blocksPerWorker();
        assertEquals((dealt.ranges().largest() + batch * tau - 1) / (batch * tau), blocksPerWorker);
        List<List<Long>> before = skippingShards(n, dealt);

        // Rounds of 1, 2, 4, 4... blocks as adaptive averaging grows k, then a run resumed at block 1 with k = 3.
        List<int[]> rounds = new ArrayList<>();
        for (int first = 0, k = 1; first < blocksPerWorker; first += k, k = Math.min(4, 2 * k)) {
            rounds.add(new int[] {first, Math.min(k, blocksPerWorker - first)});
        }
        for (int first = Math.min(1, blocksPerWorker - 1); first < blocksPerWorker; first += 3) {
            rounds.add(new int[] {first, Math.min(3, blocksPerWorker - first)});
        }
        for (int[] round : rounds) {
            List<List<LabeledImage>> got = blocks.round(round[0], round[1]).glom().collect();
            assertEquals(workers, got.size(), "one partition per worker");
            long from = (long) round[0] * batch * tau;
            long to = (long) (round[0] + round[1]) * batch * tau;
            for (int w = 0; w < workers; w++) {
                List<Long> shard = before.get(w);
                List<Long> expected = shard.subList((int) Math.min(from, shard.size()), (int) Math.min(to, shard.size()));
                assertEquals(expected, got.get(w).stream().map(LabeledImage::id).toList(),
                        "worker " + w + ", blocks " + round[0] + " to " + (round[0] + round[1] - 1));
            }
        }
        blocks.release();
    }

    @Test
    void aRoundFetchesOnlyItsOwnRecordsAndTheEpochComputesItsSourceOnce() throws Exception {
        int n = 900;
        LongAccumulator computed = sc.sc().longAccumulator("source records computed");
        JavaRDD<LabeledImage> source = sc.parallelize(records(n), 3).map(r -> {
            computed.add(1);
            return r;
        });
        EpochShards dealt = EpochShards.deal(n, 2, SEED, 1);
        // 450 records a worker in blocks of 40: 12 blocks, the last of 10.
        EpochBlocks blocks = Sharder.blocksFor(sc, source, dealt, 10, 4);
        Map<Integer, AtomicLong> fetchedByStage = new ConcurrentHashMap<>();
        SparkListener fetches = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd task) {
                fetchedByStage.computeIfAbsent(task.stageId(), s -> new AtomicLong())
                        .addAndGet(task.taskMetrics().shuffleReadMetrics().recordsRead());
            }
        };
        sc.sc().addSparkListener(fetches);
        try {
            for (int[] round : new int[][] {{0, 1}, {1, 2}, {3, 4}, {7, 4}, {11, 1}}) {
                fetchedByStage.clear();
                long trained = blocks.round(round[0], round[1]).count();
                sc.sc().listenerBus().waitUntilEmpty();
                long expected = 2L * Math.min(40L * round[1], 450 - 40L * round[0]);
                assertEquals(expected, trained, "records of blocks " + round[0] + "+" + round[1]);
                assertEquals(expected, fetchedByStage.values().stream().mapToLong(AtomicLong::get).sum(),
                        "records fetched from the shuffle for blocks " + round[0] + "+" + round[1]);
            }
        } finally {
            sc.sc().removeSparkListener(fetches);
        }
        assertEquals(n, computed.value(), "the source is read once an epoch, by the first round's map stage");
        blocks.release();
    }

    @Test
    void aRoundOutsideTheEpochsBlocksIsRefusedNamingThem() {
        EpochBlocks blocks = Sharder.blocksFor(sc, sc.parallelize(records(100), 2), EpochShards.deal(100, 2, SEED, 1),
                10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> blocks.round(4, 2).count());
        assertEquals("blocks 4 to 5 are outside the epoch's 5 blocks per worker", e.getMessage());
        blocks.release();
    }

    /** Each worker's records as the engine used to hold them: its shard of the dealt order, sorted by position. */
    private static List<List<Long>> skippingShards(int n, EpochShards dealt) {
        List<List<Long>> shards = new ArrayList<>();
        for (int w = 0; w < dealt.ranges().partitions(); w++) {
            shards.add(new ArrayList<>());
        }
        List<Long> ids = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            ids.add(id);
        }
        ids.sort(Comparator.comparingInt(dealt::positionOf));
        ids.forEach(id -> shards.get(dealt.partitionOf(id)).add(id));
        return shards;
    }
}
