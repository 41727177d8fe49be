package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.RoundResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

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
        List<Tuple2<Integer, ParameterAverage>> sums = level.collect();
        long merging = System.nanoTime();
        ParameterAverage sum = intoFirst(sums);
        return sum.mergedOnTheDriverIn(System.nanoTime() - merging);
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

    /** Adds indexed partial sums in the order of their indices; the inputs are left as they were. */
    static ParameterAverage inOrder(Iterable<Tuple2<Integer, ParameterAverage>> parts) {
        ParameterAverage sum = new ParameterAverage();
        sorted(parts).forEach(part -> sum.merge(part._2()));
        return sum;
    }

    /**
     * As {@link #inOrder}, adding into the first sum rather than into a copy of it: for partial sums that nothing
     * else holds (a job's collected results, a shuffle's grouped values, each freshly deserialised), so that
     * adding them up allocates no copy of the state. The same additions in the same order, so the same bits.
     */
    static ParameterAverage intoFirst(Iterable<Tuple2<Integer, ParameterAverage>> parts) {
        List<Tuple2<Integer, ParameterAverage>> sorted = sorted(parts);
        if (sorted.isEmpty()) {
            return new ParameterAverage();
        }
        ParameterAverage sum = sorted.get(0)._2();
        sorted.subList(1, sorted.size()).forEach(part -> sum.merge(part._2()));
        return sum;
    }

    private static List<Tuple2<Integer, ParameterAverage>> sorted(Iterable<Tuple2<Integer, ParameterAverage>> parts) {
        List<Tuple2<Integer, ParameterAverage>> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i)._1().equals(sorted.get(i - 1)._1())) {
                throw new IllegalStateException("two partial sums for partition " + sorted.get(i)._1()
                        + " in one round: a retried task's result was counted twice.");
            }
        }
        return sorted;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
