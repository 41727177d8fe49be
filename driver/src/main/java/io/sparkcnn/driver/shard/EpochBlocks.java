package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.data.LabeledImage;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.Option;

/**
 * One epoch's shards as the output of one shuffle, one reduce partition per block of tau minibatches of a worker,
 * from which each round reads only its own blocks. Nothing is cached: Spark keeps the shuffle's map output on the
 * executors' local disks while this RDD lives, so the first round runs the map stage (one pass over the records)
 * and every later round of the epoch skips it and fetches just its blocks. An epoch therefore never depends on
 * its shards fitting in storage memory, and a round costs the same wherever it falls in the epoch.
 */
public final class EpochBlocks {
    private final JavaPairRDD<Integer, LabeledImage> shuffled;
    private final JavaRDD<LabeledImage> blocks;
    private final BlockLayout layout;
    private final Broadcast<EpochShards> dealt;

    EpochBlocks(JavaPairRDD<Integer, LabeledImage> shuffled, BlockLayout layout, Broadcast<EpochShards> dealt) {
        this.shuffled = shuffled;
        this.blocks = shuffled.values();
        this.layout = layout;
        this.dealt = dealt;
    }

    public BlockLayout layout() {
        return layout;
    }

    /**
     * The records of blocks [first, first + count) of every worker: one partition per worker, partition w holding
     * worker w's records of those blocks in their dealt order. A coalesce with our own grouping rather than an RDD
     * class of our own: Spark's CoalescedRDD already reads its parent partitions in the order given and depends
     * narrowly on just those, so the round's job runs one task per worker and fetches no other block (a
     * PartitionPruningRDD in between would add nothing).
     */
    public JavaRDD<LabeledImage> round(int first, int count) {
        return blocks.rdd()
                .coalesce(layout.workers(), false, Option.apply(new RoundCoalescer(layout, first, count)), null)
                .toJavaRDD();
    }

    /** Runs the shuffle's map stage now (see {@link EpochShuffle#writeMapOutput}). */
    public void writeBlocks() {
        EpochShuffle.writeMapOutput(shuffled);
    }

    /** Deletes the epoch's shuffle files and its broadcast now (see {@link EpochShuffle#release}). */
    public void release() {
        EpochShuffle.release(shuffled, dealt);
    }
}
