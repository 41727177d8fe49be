package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.data.LabeledImage;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkException;
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

    /**
     * Runs the shuffle's map stage now, one pass over the records that writes every block to the executors'
     * disks, so that the epoch's setup is timed apart from its rounds and its first round costs what the others
     * do. The rounds' jobs then find the map output and skip the stage; an executor lost later makes Spark run the
     * lost map tasks again, as it would have without this. {@code submitMapStage} is Spark's own way to run just a
     * map stage (adaptive query execution uses it); it is internal to Spark, hence the call through Java.
     */
    public void writeBlocks() {
        try {
            shuffled.context().submitMapStage(dependency()).get();
        } catch (SparkException e) {
            // As a round's job does when Spark gives up (the task's own error is the cause).
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private ShuffleDependency<?, ?, ?> dependency() {
        return (ShuffleDependency<?, ?, ?>) shuffled.rdd().dependencies().head();
    }

    /**
     * Deletes the epoch's shuffle files and its broadcast now, rather than when the driver's garbage collector
     * happens to collect this RDD: with data larger than memory every epoch writes the whole training set to the
     * executors' disks, and the ContextCleaner's periodic collection runs only every 30 minutes by default.
     */
    public void release() {
        int shuffleId = dependency().shuffleId();
        if (shuffled.context().cleaner().isDefined()) {
            shuffled.context().cleaner().get().doCleanupShuffle(shuffleId, false);
        }
        dealt.destroy(false);
    }
}
