package io.sparkcnn.driver.shard;

import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;

/** What an epoch's one shuffle of the records needs, however it cuts them ({@link EpochBlocks}, {@link WorkerShards}). */
final class EpochShuffle {
    private EpochShuffle() {}

    /**
     * Runs the shuffle's map stage now, one pass over the records that writes them to the executors' disks, so
     * that the epoch's setup is timed apart from its training. The training jobs then find the map output and skip
     * the stage; an executor lost later makes Spark run the lost map tasks again, as it would have without this.
     * {@code submitMapStage} is Spark's own way to run just a map stage (adaptive query execution uses it); it is
     * internal to Spark, hence the call through Java.
     */
    static void writeMapOutput(JavaPairRDD<?, ?> shuffled) {
        try {
            shuffled.context().submitMapStage(dependency(shuffled)).get();
        } catch (SparkException e) {
            // As a training job does when Spark gives up (the task's own error is the cause).
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Deletes the epoch's shuffle files and its broadcast now, rather than when the driver's garbage collector
     * happens to collect the RDD: with data larger than memory every epoch writes the whole training set to the
     * executors' disks, and the ContextCleaner's periodic collection runs only every 30 minutes by default.
     */
    static void release(JavaPairRDD<?, ?> shuffled, Broadcast<?> dealt) {
        int shuffleId = dependency(shuffled).shuffleId();
        if (shuffled.context().cleaner().isDefined()) {
            shuffled.context().cleaner().get().doCleanupShuffle(shuffleId, false);
        }
        dealt.destroy(false);
    }

    private static ShuffleDependency<?, ?, ?> dependency(JavaPairRDD<?, ?> shuffled) {
        return (ShuffleDependency<?, ?, ?>) shuffled.rdd().dependencies().head();
    }
}
