package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both ways of summing a round (training.exchange) on a real Spark: the same average up to float rounding. */
class ExchangeSpec {
    private static final ModelState START = new ModelState(new float[500], new float[500], 0, 0);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("ExchangeSpec")
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
    void theKeyWordsAreTheConfigsSpelling() {
        assertEquals("tree", Exchange.TREE.word());
        assertEquals("tree-arrival-order", Exchange.TREE_ARRIVAL_ORDER.word());
    }

    private static List<RoundResult> workers(int n) {
        Random random = new Random(11);
        List<RoundResult> out = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            float[] params = new float[START.params().length];
            float[] state = new float[START.updaterState().length];
            for (int i = 0; i < params.length; i++) {
                params[i] = random.nextFloat() * 2 - 1;
                state[i] = random.nextFloat();
            }
            out.add(new RoundResult(new ModelState(params, state, 10, 0), 160, 5, 1.0, 1));
        }
        return out;
    }
}
