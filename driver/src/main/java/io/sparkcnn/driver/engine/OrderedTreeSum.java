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
                    .mapValues(OrderedTreeSum::inOrder);
            n = groups;
        }
        List<Tuple2<Integer, ParameterAverage>> sums = level.collect();
        long merging = System.nanoTime();
        ParameterAverage sum = inOrder(sums);
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
        List<Tuple2<Integer, ParameterAverage>> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        ParameterAverage sum = new ParameterAverage();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && sorted.get(i)._1().equals(sorted.get(i - 1)._1())) {
                throw new IllegalStateException("two partial sums for partition " + sorted.get(i)._1()
                        + " in one round: a retried task's result was counted twice.");
            }
            sum.merge(sorted.get(i)._2());
        }
        return sum;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
