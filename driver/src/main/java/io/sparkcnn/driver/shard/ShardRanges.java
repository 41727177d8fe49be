package io.sparkcnn.driver.shard;

import java.io.Serializable;

/**
 * Cuts {@code records} global positions into {@code partitions} contiguous runs whose sizes differ by at most
 * one: shard p holds positions [start(p), start(p + 1)) with start(p) = floor(p * records / partitions).
 */
public record ShardRanges(int records, int partitions) implements Serializable {
    public ShardRanges {
        if (records < 1 || partitions < 1) {
            throw new IllegalArgumentException("need at least one record and one partition, got "
                    + records + " records and " + partitions + " partitions");
        }
    }

    public int start(int partition) {
        return (int) (((long) partition * records) / partitions);
    }

    public int size(int partition) {
        return start(partition + 1) - start(partition);
    }

    public int largest() {
        return (int) (((long) records + partitions - 1) / partitions);
    }

    public int partitionOf(int position) {
        // Invert start(p) and correct its rounding by at most one step either way.
        int p = (int) (((long) position * partitions) / records);
        while (p > 0 && start(p) > position) {
            p--;
        }
        while (p + 1 < partitions && start(p + 1) <= position) {
            p++;
        }
        return p;
    }
}
