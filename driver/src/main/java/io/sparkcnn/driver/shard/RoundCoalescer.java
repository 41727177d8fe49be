package io.sparkcnn.driver.shard;

import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Groups the block partitions of one round into one partition per worker, group w (and so the round's partition
 * index, which seeds the worker) holding worker w's blocks [first, first + count) in block order (blocks past
 * the end of a shorter shard are empty partitions). The groups name only the round's partitions, so the round's
 * job fetches no other block from the shuffle.
 */
// scala.Serializable, not java.io's: CoalescedRDD requires that very interface of its coalescer (Scala 2.12).
final class RoundCoalescer implements PartitionCoalescer, scala.Serializable {
    private final BlockLayout layout;
    private final int first;
    private final int count;

    RoundCoalescer(BlockLayout layout, int first, int count) {
        if (first < 0 || count < 1 || first + count > layout.blocksPerWorker()) {
            throw new IllegalArgumentException("blocks " + first + " to " + (first + count - 1)
                    + " are outside the epoch's " + layout.blocksPerWorker() + " blocks per worker");
        }
        this.layout = layout;
        this.first = first;
        this.count = count;
    }

    @Override
    public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
        Partition[] blocks = parent.partitions();
        if (blocks.length != layout.partitions() || maxPartitions != layout.workers()) {
            throw new IllegalStateException("expected " + layout.partitions() + " block partitions into "
                    + layout.workers() + " workers, got " + blocks.length + " into " + maxPartitions);
        }
        PartitionGroup[] workers = new PartitionGroup[layout.workers()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new PartitionGroup(Option.empty());
            for (int b = first; b < first + count; b++) {
                workers[w].partitions().$plus$eq(blocks[layout.partition(w, b)]);
            }
        }
        return workers;
    }
}
