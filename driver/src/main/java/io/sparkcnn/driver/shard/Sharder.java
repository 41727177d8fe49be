package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.data.LabeledImage;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Reshuffles the training records into this epoch's shards with one Spark shuffle of the raw (still encoded)
 * records: each record goes to the partition of its worker's block of tau minibatches ({@link BlockLayout}),
 * sorted there by the position {@link EpochShards} deals it. No float tensor crosses the network: decoding
 * happens in the training task.
 */
public final class Sharder {
    private Sharder() {}

    /** The epoch's blocks of {@code recordsPerBlock} records, for {@code shards} as dealt. */
    public static EpochBlocks blocksFor(JavaSparkContext sc, JavaRDD<LabeledImage> records, EpochShards shards,
                                        int batchSize, int stepsPerBlock) {
        BlockLayout layout = BlockLayout.of(shards.ranges(), batchSize, stepsPerBlock);
        Broadcast<EpochShards> dealt = sc.broadcast(shards);
        return new EpochBlocks(records
                .mapToPair(r -> new Tuple2<>(dealt.value().positionOf(r.id()), r))
                .repartitionAndSortWithinPartitions(new ByBlock(layout)), layout, dealt);
    }

    /**
     * The epoch's shards for the barrier exchange, one partition per worker ({@link WorkerShards}), in blocks of
     * {@code batchSize * stepsPerBlock} records like {@link #blocksFor}.
     */
    public static WorkerShards shardsFor(JavaSparkContext sc, JavaRDD<LabeledImage> records, EpochShards shards,
                                         int batchSize, int stepsPerBlock) {
        BlockLayout layout = BlockLayout.of(shards.ranges(), batchSize, stepsPerBlock);
        Broadcast<EpochShards> dealt = sc.broadcast(shards);
        return new WorkerShards(records
                .mapToPair(r -> new Tuple2<>(dealt.value().positionOf(r.id()), r))
                .repartitionAndSortWithinPartitions(new ByWorker(shards.ranges())), layout, dealt);
    }

    /** Sends a global position to its worker. */
    static final class ByWorker extends Partitioner {
        private final ShardRanges ranges;

        ByWorker(ShardRanges ranges) {
            this.ranges = ranges;
        }

        @Override
        public int numPartitions() {
            return ranges.partitions();
        }

        @Override
        public int getPartition(Object position) {
            return ranges.partitionOf((Integer) position);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByWorker w && w.ranges.equals(ranges);
        }

        @Override
        public int hashCode() {
            return ranges.hashCode();
        }
    }

    /** Sends a global position to its worker's block. */
    static final class ByBlock extends Partitioner {
        private final BlockLayout layout;

        ByBlock(BlockLayout layout) {
            this.layout = layout;
        }

        @Override
        public int numPartitions() {
            return layout.partitions();
        }

        @Override
        public int getPartition(Object position) {
            return layout.partitionOf((Integer) position);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByBlock b && b.layout.equals(layout);
        }

        @Override
        public int hashCode() {
            return layout.hashCode();
        }
    }
}
