package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The workers' partial sums add up to the same bits whatever order their tasks finish in. */
class OrderedTreeSumTest {
    private static final ModelState START = new ModelState(new float[1000], new float[2000], 0, 0);

    @Test
    void foldingInArrivalOrderAsTreeAggregateDidChangesTheBits() {
        // The cause this class removes: four workers' sums folded in two completion orders (Spark's last level).
        List<ParameterAverage> parts = partials(4, 1);
        ParameterAverage forward = new ParameterAverage();
        parts.forEach(forward::merge);
        ParameterAverage backward = new ParameterAverage();
        for (int i = parts.size() - 1; i >= 0; i--) {
            backward.merge(parts.get(i));
        }
        assertFalse(Arrays.equals(forward.average(START).params(), backward.average(START).params()),
                "float addition in another order should round differently somewhere in 1,000 values");
    }

    @Test
    void partialSumsAddUpToTheSameBitsInEveryArrivalOrder() {
        ModelState reference = inIndexOrder(partials(5, 2)).average(START);
        Random random = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            // Fresh partial sums each time: they are added into the one of partition 0, as a job's own results are.
            List<Tuple2<Integer, ParameterAverage>> arrived = new ArrayList<>(indexed(partials(5, 2)));
            Collections.shuffle(arrived, random);
            ParameterAverage first = arrived.stream().filter(p -> p._1() == 0).findFirst().orElseThrow()._2();
            OrderedTreeSum.InOrder asTheyCome = new OrderedTreeSum.InOrder();
            arrived.forEach(part -> asTheyCome.put(part._1(), part._2()));

            ParameterAverage sum = asTheyCome.sum();

            assertSame(first, sum, "partition 0's sum is the one added into");
            assertArrayEquals(reference.params(), sum.average(START).params(), "parameters, arrival order " + arrived);
            assertArrayEquals(reference.updaterState(), sum.average(START).updaterState(), "updater state");
        }
        // A group of the tree's executor level starts past 0: its sums wait, then are added in order.
        List<Tuple2<Integer, ParameterAverage>> group = new ArrayList<>(indexed(partials(5, 2)).subList(2, 5));
        Collections.reverse(group);
        assertArrayEquals(inIndexOrder(partials(5, 2).subList(2, 5)).average(START).params(),
                OrderedTreeSum.intoFirst(group).average(START).params());
        assertEquals(0, OrderedTreeSum.intoFirst(List.of()).workers(), "nothing arrived: an empty sum");
    }

    @Test
    void aPartitionCountedTwiceIsRefused() {
        List<ParameterAverage> parts = partials(2, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OrderedTreeSum.intoFirst(
                List.of(new Tuple2<>(0, parts.get(0)), new Tuple2<>(1, parts.get(1)), new Tuple2<>(1, parts.get(1)))));
        assertTrue(e.getMessage().contains("partition 1"), e.getMessage());
        IllegalStateException added = assertThrows(IllegalStateException.class, () -> OrderedTreeSum.intoFirst(
                List.of(new Tuple2<>(0, parts.get(0)), new Tuple2<>(0, parts.get(1)))));
        assertTrue(added.getMessage().contains("partition 0"), "one already added: " + added.getMessage());
    }

    @Test
    void theTreeHasTheShapeOfSparksTreeAggregate() {
        // Up to 5 workers the driver adds every sum itself, as treeAggregate's depth 2 does; beyond, groups of
        // about sqrt(n) consecutive partitions are summed on the executors first.
        for (int n = 1; n <= 5; n++) {
            assertEquals(0, OrderedTreeSum.groupSize(n), n + " workers");
        }
        assertEquals(3, OrderedTreeSum.groupSize(6));
        assertEquals(4, OrderedTreeSum.groupSize(16));
        assertEquals(10, OrderedTreeSum.groupSize(100));
        assertEquals(4, OrderedTreeSum.groupSize(10), "the second level of 100 workers");
        assertEquals(0, OrderedTreeSum.groupSize(3), "the driver adds the last 3");
    }

    /** The reference: the partial sums added one after another in index order into a new sum. */
    private static ParameterAverage inIndexOrder(List<ParameterAverage> parts) {
        ParameterAverage sum = new ParameterAverage();
        parts.forEach(sum::merge);
        return sum;
    }

    private static List<Tuple2<Integer, ParameterAverage>> indexed(List<ParameterAverage> parts) {
        List<Tuple2<Integer, ParameterAverage>> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            out.add(new Tuple2<>(i, parts.get(i)));
        }
        return out;
    }

    /** One partial sum per worker, with changes of very different sizes, as real workers' are. */
    private static List<ParameterAverage> partials(int workers, long seed) {
        Random random = new Random(seed);
        List<ParameterAverage> out = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            float scale = (float) Math.pow(10, random.nextInt(5) - 2);
            float[] params = new float[START.params().length];
            float[] state = new float[START.updaterState().length];
            for (int i = 0; i < params.length; i++) {
                params[i] = (random.nextFloat() * 2 - 1) * scale;
            }
            for (int i = 0; i < state.length; i++) {
                state[i] = random.nextFloat() * scale;
            }
            out.add(new ParameterAverage().add(new RoundResult(new ModelState(params, state, 10, 0),
                    150 + random.nextInt(20), 5, 1.0, 1)));
        }
        return out;
    }
}
