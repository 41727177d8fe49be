package io.sparkcnn.driver.shard;

import io.sparkcnn.workers.Seeds;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * How one epoch deals the dataset out to the workers: a permutation of the record ids drawn from
 * (job seed, epoch), cut into {@code partitions} contiguous runs whose sizes differ by at most one. Every record
 * lands in exactly one shard, at one position, so every example is seen once per epoch.
 */
public final class EpochShards implements Serializable {
    private final int[] positionOfRecord;
    private final ShardRanges ranges;

    private EpochShards(int[] positionOfRecord, ShardRanges ranges) {
        this.positionOfRecord = positionOfRecord;
        this.ranges = ranges;
    }

    /** Deals {@code records} ids (0 to records - 1) into {@code partitions} shards for {@code epoch}. */
    public static EpochShards deal(int records, int partitions, long seed, int epoch) {
        ShardRanges ranges = new ShardRanges(records, partitions);
        SplittableRandom random = new SplittableRandom(Seeds.of(seed, "epoch-shuffle", epoch));
        int[] order = new int[records];
        for (int i = 0; i < records; i++) {
            order[i] = i;
        }
        for (int i = records - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] positionOf = new int[records];
        for (int position = 0; position < records; position++) {
            positionOf[order[position]] = position;
        }
        return new EpochShards(positionOf, ranges);
    }

    public ShardRanges ranges() {
        return ranges;
    }

    /** The record's place in this epoch's global order. */
    public int positionOf(long recordId) {
        return positionOfRecord[Math.toIntExact(recordId)];
    }

    /** The shard this epoch deals the record to. */
    public int partitionOf(long recordId) {
        return ranges.partitionOf(positionOf(recordId));
    }
}
