package io.sparkcnn.driver.engine;

import java.io.Serializable;

/**
 * The engineering side of a job: how many workers (one shard and one task each per round), the minibatch size
 * on each worker, tau (the local minibatch steps of one block; a round covers one block, or k with adaptive
 * averaging), epochs and the seed.
 */
public record TrainingPlan(int workers, int batchSizePerWorker, int averagingFrequency, int epochs, long seed)
        implements Serializable {
    public TrainingPlan {
        if (workers < 1 || batchSizePerWorker < 1 || averagingFrequency < 1 || epochs < 1) {
            throw new IllegalArgumentException("workers, batch size, averaging frequency and epochs must all be"
                    + " at least 1: " + this);
        }
    }
}
