package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.data.LabeledImage;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Reshuffles the training records into this epoch's shards with one Spark shuffle of the raw (still encoded)
 * records: each record goes to the partition {@link EpochShards} deals it, sorted by its position there.
 * No float tensor crosses the network: decoding happens in the training task.
 */
public final class Sharder {
    private Sharder() {}

    public static JavaRDD<LabeledImage> shardsFor(
            JavaSparkContext sc, JavaRDD<LabeledImage> records, EpochShards shards) {
        Broadcast<EpochShards> dealt = sc.broadcast(shards);
        return records
                .mapToPair(r -> new Tuple2<>(dealt.value().positionOf(r.id()), r))
                .repartitionAndSortWithinPartitions(new ByPosition(shards.ranges()))
                .values();
    }

    /** Sends a global position to its shard. */
    static final class ByPosition extends Partitioner {
        private final ShardRanges ranges;

        ByPosition(ShardRanges ranges) {
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
            return other instanceof ByPosition b && b.ranges.equals(ranges);
        }

        @Override
        public int hashCode() {
            return ranges.hashCode();
        }
    }
}
