package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.data.LabeledImage;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * One epoch's shards as the output of one shuffle with one reduce partition per worker, each worker's records in
 * their dealt order: what the barrier exchange's epoch-long tasks read ({@code training.exchange = barrier}). The
 * same records in the same order as the blocks of {@link EpochBlocks} put end to end, so block b of a worker starts
 * at its record {@code b * layout().recordsPerBlock()}. A barrier stage must read an RDD with as many partitions as
 * it has tasks (Spark refuses a coalesce in it), which is why this is a shuffle of its own rather than the blocks
 * coalesced. The map output stays on the executors' disks, as with the blocks, so an epoch never depends on its
 * shards fitting in memory.
 */
public final class WorkerShards {
    private final JavaPairRDD<Integer, LabeledImage> shuffled;
    private final BlockLayout layout;
    private final Broadcast<EpochShards> dealt;

    WorkerShards(JavaPairRDD<Integer, LabeledImage> shuffled, BlockLayout layout, Broadcast<EpochShards> dealt) {
        this.shuffled = shuffled;
        this.layout = layout;
        this.dealt = dealt;
    }

    public BlockLayout layout() {
        return layout;
    }

    /**
     * Partition w: worker w's records of the epoch, in their dealt order, read and sorted when the task first asks
     * for one rather than before its function starts ({@link DeferredRead}).
     */
    public JavaRDD<LabeledImage> records() {
        JavaRDD<LabeledImage> values = shuffled.values();
        return new DeferredRead<>(values.rdd(), values.classTag()).toJavaRDD();
    }

    /** Runs the shuffle's map stage now (see {@link EpochShuffle#writeMapOutput}). */
    public void writeShards() {
        EpochShuffle.writeMapOutput(shuffled);
    }

    /** Deletes the epoch's shuffle files and its broadcast now (see {@link EpochShuffle#release}). */
    public void release() {
        EpochShuffle.release(shuffled, dealt);
    }
}
