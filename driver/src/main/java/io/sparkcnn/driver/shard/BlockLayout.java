package io.sparkcnn.driver.shard;

import java.io.Serializable;

/**
 * Where a record of an epoch's global order trains: its worker's shard ({@link ShardRanges}) cut into blocks of
 * {@code recordsPerBlock} consecutive positions (tau minibatches), numbered worker by worker, so that block b of
 * worker w is Spark partition {@code w * blocksPerWorker + b} of the epoch's one shuffle.
 */
public record BlockLayout(ShardRanges ranges, int recordsPerBlock) implements Serializable {
    public BlockLayout {
        if (recordsPerBlock < 1) {
            throw new IllegalArgumentException("a block needs at least one record, got " + recordsPerBlock);
        }
    }

    /** Blocks of {@code stepsPerBlock} minibatches of {@code batchSize} records each. */
    public static BlockLayout of(ShardRanges ranges, int batchSize, int stepsPerBlock) {
        return new BlockLayout(ranges, Math.multiplyExact(batchSize, stepsPerBlock));
    }

    /** The blocks of the largest shard: every worker gets this many partitions, the last ones maybe empty. */
    public int blocksPerWorker() {
        return (int) (((long) ranges.largest() + recordsPerBlock - 1) / recordsPerBlock);
    }

    public int workers() {
        return ranges.partitions();
    }

    public int partitions() {
        return Math.multiplyExact(workers(), blocksPerWorker());
    }

    /** The Spark partition holding block {@code block} of worker {@code worker}. */
    public int partition(int worker, int block) {
        return worker * blocksPerWorker() + block;
    }

    /** The Spark partition of the record at {@code position} of the epoch's global order. */
    public int partitionOf(int position) {
        int worker = ranges.partitionOf(position);
        return partition(worker, (position - ranges.start(worker)) / recordsPerBlock);
    }
}
