package io.sparkcnn.driver.engine;

import java.io.Serializable;

/**
 * The engineering side of a job: how many workers (one shard and one task each per round), the minibatch size
 * on each worker, tau (how many local minibatch steps between two averagings), epochs and the seed.
 */
public record TrainingPlan(int workers, int batchSizePerWorker, int averagingFrequency, int epochs, long seed)
        implements Serializable {
    public TrainingPlan {
        if (workers < 1 || batchSizePerWorker < 1 || averagingFrequency < 1 || epochs < 1) {
            throw new IllegalArgumentException("workers, batch size, averaging frequency and epochs must all be"
                    + " at least 1: " + this);
        }
    }

    /**
     * Units of tau minibatch steps needed for the largest shard of {@code shardSize} records to be seen once: the
     * epoch's rounds when each round is one unit (a fixed averaging frequency), and what checkpoint positions
     * count in any case.
     */
    public int roundsFor(int shardSize) {
        int minibatches = (shardSize + batchSizePerWorker - 1) / batchSizePerWorker;
        return (minibatches + averagingFrequency - 1) / averagingFrequency;
    }
}
