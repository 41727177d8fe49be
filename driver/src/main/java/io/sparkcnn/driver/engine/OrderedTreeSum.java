package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.RoundResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Function1;
import scala.Function2;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * Sums a round's worker results in partition order, whatever order their tasks finish in, with a tree of the
 * shape Spark's {@code treeAggregate} (depth 2) builds: consecutive partitions are summed in groups on the
 * executors, and the driver adds the groups' sums, again in order. Float addition is not associative, and
 * {@code treeAggregate} folds its last level on the driver in task completion order, so with more than two
 * workers the same round could average to different bits from run to run (issue 15); here the order of every
 * addition is fixed by the partition indices alone.
 */
final class OrderedTreeSum {
    private static final int DEPTH = 2;

    private OrderedTreeSum() {}

    static ParameterAverage sum(JavaRDD<RoundResult> results) {
        JavaPairRDD<Integer, ParameterAverage> level = JavaPairRDD.fromJavaRDD(
                results.mapPartitionsWithIndex((partition, shard) -> {
                    ParameterAverage sum = new ParameterAverage();
                    shard.forEachRemaining(sum::add);
                    return List.of(new Tuple2<>(partition, sum)).iterator();
                }, true));
        int n = results.getNumPartitions();
        for (int size = groupSize(n); size > 0; size = groupSize(n)) {
            int groupSize = size;
            int groups = ceilDiv(n, groupSize);
            level = level.mapToPair(part -> new Tuple2<>(part._1() / groupSize, part))
                    .groupByKey(groups)
                    .mapValues(OrderedTreeSum::intoFirst);
            n = groups;
        }
        // The driver adds the last level's sums in order as they arrive, each dropped once added, rather than
        // collecting them all first: it holds the running sum and only those that came before their turn.
        InOrder inOrder = new InOrder();
        long arrivalNanos = eachOnArrival(level, part -> inOrder.put(part._1(), part._2()));
        long finishing = System.nanoTime();
        ParameterAverage sum = inOrder.sum();
        return sum.mergedOnTheDriverIn(arrivalNanos + System.nanoTime() - finishing);
    }

    /**
     * Runs the job of {@code sums} and hands each task's sums to {@code onArrival} on the driver as that task's
     * result arrives (Spark's {@code runJob} with a result handler, which the Java API does not offer), so that
     * the driver need not hold every result at once as {@code collect()} does. Returns the nanoseconds spent in
     * {@code onArrival}.
     */
    static long eachOnArrival(JavaPairRDD<Integer, ParameterAverage> sums,
                              Consumer<Tuple2<Integer, ParameterAverage>> onArrival) {
        Function1<Iterator<Tuple2<Integer, ParameterAverage>>, ArrayList<Tuple2<Integer, ParameterAverage>>> task =
                (Function1<Iterator<Tuple2<Integer, ParameterAverage>>, ArrayList<Tuple2<Integer, ParameterAverage>>>
                        & Serializable) partition -> {
                    ArrayList<Tuple2<Integer, ParameterAverage>> out = new ArrayList<>(1);
                    while (partition.hasNext()) {
                        out.add(partition.next());
                    }
                    return out;
                };
        long[] nanos = {0};
        Function2<Object, ArrayList<Tuple2<Integer, ParameterAverage>>, BoxedUnit> handler = (index, arrived) -> {
            long began = System.nanoTime();
            arrived.forEach(onArrival);
            nanos[0] += System.nanoTime() - began;
            return BoxedUnit.UNIT;
        };
        @SuppressWarnings({"unchecked", "rawtypes"})
        ClassTag<ArrayList<Tuple2<Integer, ParameterAverage>>> type = (ClassTag) ClassTag$.MODULE$.apply(ArrayList.class);
        sums.context().runJob(sums.rdd(), task, handler, type);
        return nanos[0];
    }

    /**
     * Adds indexed partial sums in the order of their indices (into the lowest one), whatever order they arrive in:
     * each is added as soon as every index below it has been (counting from 0), the others wait.
     */
    static final class InOrder {
        private final TreeMap<Integer, ParameterAverage> waiting = new TreeMap<>();
        private int next;
        private ParameterAverage sum;

        void put(int index, ParameterAverage part) {
            if (index < next || waiting.containsKey(index)) {
                throw new IllegalStateException("two partial sums for partition " + index
                        + " in one round: a retried task's result was counted twice.");
            }
            waiting.put(index, part);
            while (!waiting.isEmpty() && waiting.firstKey() == next) {
                add(waiting.pollFirstEntry().getValue());
                next++;
            }
        }

        /** The sum, adding (in order) those still waiting behind a missing or lower index. */
        ParameterAverage sum() {
            while (!waiting.isEmpty()) {
                add(waiting.pollFirstEntry().getValue());
            }
            return sum == null ? new ParameterAverage() : sum;
        }

        private void add(ParameterAverage part) {
            sum = sum == null ? part : sum.merge(part);
        }
    }

    /**
     * How many consecutive sums the next level of the tree adds on the executors, or 0 when the driver should
     * add the {@code n} sums itself: the rule of Spark's {@code treeAggregate}, whose scaling this keeps (a level
     * is worth its shuffle only while it takes more off the driver than it costs).
     */
    static int groupSize(int n) {
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / DEPTH)), 2);
        return n > scale + ceilDiv(n, scale) ? scale : 0;
    }

    /**
     * Adds indexed partial sums in the order of their indices, into the first of them rather than into a copy: for
     * partial sums that nothing else holds (a shuffle's grouped values, a job's results, each freshly
     * deserialised), so that adding them up allocates no copy of the state.
     */
    static ParameterAverage intoFirst(Iterable<Tuple2<Integer, ParameterAverage>> parts) {
        InOrder inOrder = new InOrder();
        parts.forEach(part -> inOrder.put(part._1(), part._2()));
        return inOrder.sum();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
