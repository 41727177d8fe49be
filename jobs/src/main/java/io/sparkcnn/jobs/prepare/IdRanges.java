package io.sparkcnn.jobs.prepare;

import org.apache.spark.Partitioner;

/**
 * Sends ids 0..count-1 to {@code shards} partitions of consecutive ids and near-equal size, so that shard
 * {@code i} holds the i-th slice of the split in order and reading the shards back in order restores the ids.
 */
final class IdRanges extends Partitioner {
    private final int shards;
    private final long count;

    IdRanges(int shards, long count) {
        if (shards < 1 || count < shards) {
            throw new IllegalArgumentException("need 1 to " + count + " shards for " + count + " ids, not " + shards);
        }
        this.shards = shards;
        this.count = count;
    }

    @Override
    public int numPartitions() {
        return shards;
    }

    @Override
    public int getPartition(Object key) {
        long id = (Long) key;
        // Through double: id * shards may overflow a long for billions of ids and thousands of shards.
        return (int) Math.min(shards - 1, (long) ((double) id * shards / count));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdRanges o && o.shards == shards && o.count == count;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + shards;
    }
}
