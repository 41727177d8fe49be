package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.RoundResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums a round's worker results without funnelling every worker's state through the driver, as BigDL's
 * all-reduce does with Spark's own primitives: each of the W workers cuts its weighted sum into W slices, the
 * shuffle brings slice j of every worker to reduce task j, which adds them in partition order, and the driver
 * gathers the W summed slices into one state as they arrive: one state's worth of bytes whatever W (the tree's
 * last level brings it up to W partial sums, one state each). Spark has no collective operation of its own for
 * this outside barrier mode, whose tasks must all run at once, so it is written here.
 *
 * <p>Each slice is added in partition order, as {@link OrderedTreeSum} adds whole states, so the result does
 * not depend on the order the tasks finish in; while the tree has no level on the executors (up to five
 * workers, see {@link OrderedTreeSum#groupSize}) the two add in exactly the same order and give the same bits.
 */
final class SlicedAllReduce {
    private SlicedAllReduce() {}

    static ParameterAverage sum(JavaRDD<RoundResult> results) {
        int slices = results.getNumPartitions();
        JavaRDD<Tuple2<Integer, Tuple2<Integer, ParameterAverage>>> slicesOfEachWorker = results.mapPartitionsWithIndex(
                (partition, shard) -> {
                    ParameterAverage sum = new ParameterAverage();
                    shard.forEachRemaining(sum::add);
                    List<Tuple2<Integer, Tuple2<Integer, ParameterAverage>>> out = new ArrayList<>(slices);
                    if (sum.workers() > 0) {
                        for (int j = 0; j < slices; j++) {
                            out.add(new Tuple2<>(j, new Tuple2<>(partition, sum.slice(j, slices))));
                        }
                    }
                    return out.iterator();
                }, true);
        // Slice j's key is j, so the hash partitioner sends it to reduce task j: one slice per task.
        JavaPairRDD<Integer, ParameterAverage> summed = JavaPairRDD.fromJavaRDD(slicesOfEachWorker)
                .groupByKey(new HashPartitioner(slices))
                .mapValues(OrderedTreeSum::intoFirst);
        // Not collect(): it would hold every summed slice until the job ends, and their joined copy after it. Each
        // slice is copied into place as its task's result arrives, and dropped.
        ParameterAverage.Gather gather = new ParameterAverage.Gather(slices);
        long gatherNanos = OrderedTreeSum.eachOnArrival(summed, slice -> gather.put(slice._1(), slice._2()));
        return gather.sum().mergedOnTheDriverIn(gatherNanos);
    }
}
