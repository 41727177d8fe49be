package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ways of summing a round (training.exchange) on a real Spark: the same average up to float rounding (the same
 * bits where they add in the same order), and the bytes each brings into the driver.
 */
class ExchangeSpec {
    private static final ModelState START = new ModelState(new float[500], new float[500], 0, 0);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[4]").setAppName("ExchangeSpec")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void arrivalOrderAndPartitionOrderAverageTheSameWorkersToWithinRounding() {
        // 7 workers: more than treeAggregate's driver-only level, so both build a tree level on the executors.
        JavaRDD<RoundResult> results = sc.parallelize(workers(7), 7);

        ParameterAverage ordered = Exchange.TREE.sum(results);
        ParameterAverage arrived = Exchange.TREE_ARRIVAL_ORDER.sum(results);

        assertEquals(7, ordered.workers());
        assertEquals(ordered.workers(), arrived.workers());
        assertEquals(ordered.examples(), arrived.examples());
        ModelState a = ordered.average(START);
        ModelState b = arrived.average(START);
        assertArrayEquals(a.params(), b.params(), 1e-5f);
        assertArrayEquals(a.updaterState(), b.updaterState(), 1e-5f);
        assertArrayEquals(a.params(), Exchange.TREE.sum(results).average(START).params(), "the ordered sum repeats");
    }

    @Test
    void theAllReduceGivesTheTreesBitsWhileTheTreeHasNoLevelOnTheExecutors() {
        for (int n : new int[] {1, 2, 4, 5}) {
            JavaRDD<RoundResult> results = sc.parallelize(workers(n, START), n);

            ParameterAverage tree = Exchange.TREE.sum(results);
            ParameterAverage allReduce = Exchange.ALL_REDUCE.sum(results);

            assertEquals(n, allReduce.workers(), n + " workers");
            assertEquals(tree.examples(), allReduce.examples());
            assertEquals(tree.minibatches(), allReduce.minibatches());
            assertEquals(tree.meanLoss(), allReduce.meanLoss());
            assertEquals(tree.relativeSpread(), allReduce.relativeSpread(), n + " workers");
            assertArrayEquals(tree.average(START).params(), allReduce.average(START).params(), n + " workers");
            assertArrayEquals(tree.average(START).updaterState(), allReduce.average(START).updaterState());
        }
    }

    @Test
    void withALevelOnTheExecutorsTheAllReduceMatchesTheTreeToWithinRoundingAndRepeats() {
        // Uneven lengths (not multiples of 7) so that the slices differ in size, and a start away from zero.
        ModelState start = new ModelState(filled(1003, 0.5f), filled(2011, 0.25f), 40, 1);
        JavaRDD<RoundResult> results = sc.parallelize(workers(7, start), 7);

        ModelState tree = Exchange.TREE.sum(results).average(start);
        ModelState allReduce = Exchange.ALL_REDUCE.sum(results).average(start);

        assertArrayEquals(tree.params(), allReduce.params(), 1e-6f);
        assertArrayEquals(tree.updaterState(), allReduce.updaterState(), 1e-6f);
        assertEquals(tree.iterations(), allReduce.iterations());
        assertArrayEquals(allReduce.params(), Exchange.ALL_REDUCE.sum(results).average(start).params(),
                "the all-reduce repeats bit for bit");
    }

    @Test
    void workersWithNothingToSendAreLeftOutOfTheAllReduce() {
        // Three results over four partitions: one worker's shard ran out, as at the end of an uneven epoch.
        JavaRDD<RoundResult> results = sc.parallelize(workers(3, START), 4);

        ParameterAverage tree = Exchange.TREE.sum(results);
        ParameterAverage allReduce = Exchange.ALL_REDUCE.sum(results);

        assertEquals(3, allReduce.workers());
        assertArrayEquals(tree.average(START).params(), allReduce.average(START).params());
    }

    @Test
    void theAllReducesDriverBytesDoNotGrowWithTheWorkersAndTheTreesDo() throws Exception {
        // A state of 1.6 MB (200,000 parameters and as many updater values), summed by 1, 2 and 4 workers.
        ModelState start = new ModelState(new float[200_000], new float[200_000], 0, 0);
        long stateBytes = 4L * 400_000;
        ResultBytes bytes = new ResultBytes();
        sc.sc().addSparkListener(bytes);
        try {
            Map<Integer, Long> tree = new TreeMap<>();
            Map<Integer, Long> allReduce = new TreeMap<>();
            for (int n : new int[] {1, 2, 4}) {
                JavaRDD<RoundResult> results = sc.parallelize(workers(n, start), n).cache();
                results.count();
                tree.put(n, bytes.of(() -> Exchange.TREE.sum(results)));
                allReduce.put(n, bytes.of(() -> Exchange.ALL_REDUCE.sum(results)));
                results.unpersist(true);
            }
            String measured = "driver bytes per round, tree " + tree + ", all-reduce " + allReduce
                    + ", one state " + stateBytes;
            assertTrue(tree.get(4) > 3.5 * stateBytes, measured);
            assertTrue(allReduce.get(1) > stateBytes, measured);
            for (long b : allReduce.values()) {
                assertTrue(b < 1.1 * stateBytes, measured);
            }
        } finally {
            sc.sc().removeSparkListener(bytes);
        }
    }

    @Test
    void theKeyWordsAreTheConfigsSpelling() {
        assertEquals("tree", Exchange.TREE.word());
        assertEquals("tree-arrival-order", Exchange.TREE_ARRIVAL_ORDER.word());
        assertEquals("all-reduce", Exchange.ALL_REDUCE.word());
        assertEquals("barrier", Exchange.BARRIER.word());
    }

    /** The bytes of the task results the driver received (what the result tasks sent it), job by job. */
    private static final class ResultBytes extends SparkListener {
        private final AtomicLong total = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd task) {
            if ("ResultTask".equals(task.taskType()) && task.taskMetrics() != null) {
                total.addAndGet(task.taskMetrics().resultSize());
            }
        }

        long of(Runnable job) throws Exception {
            sc.sc().listenerBus().waitUntilEmpty();
            long before = total.get();
            job.run();
            sc.sc().listenerBus().waitUntilEmpty();
            return total.get() - before;
        }
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static List<RoundResult> workers(int n) {
        return workers(n, START);
    }

    private static List<RoundResult> workers(int n, ModelState like) {
        Random random = new Random(11);
        List<RoundResult> out = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            float[] params = new float[like.params().length];
            float[] state = new float[like.updaterState().length];
            for (int i = 0; i < params.length; i++) {
                params[i] = random.nextFloat() * 2 - 1;
            }
            for (int i = 0; i < state.length; i++) {
                state[i] = random.nextFloat();
            }
            // Uneven weights and losses, so that the totals' sums are checked too.
            out.add(new RoundResult(new ModelState(params, state, 10 + w, 0), 160 - 7 * w, 5, 1.0 + w / 3.0, 1));
        }
        return out;
    }
}
