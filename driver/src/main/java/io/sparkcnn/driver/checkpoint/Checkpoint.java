package io.sparkcnn.driver.checkpoint;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.workers.train.ModelState;

/**
 * Everything a stopped run needs to continue as if it had never stopped: the state after the last finished
 * round (parameters, updater state, iteration and epoch counters), the position of the next round (which,
 * with the job's seed, fixes the data order and every worker's random stream), how many blocks of tau steps the
 * averaging schedule chose for that round (k, always 1 with fixed averaging), and the states of the run's
 * listeners (history, best model, early stopping, schedule, the weights' moving average...), each under its
 * listener's name.
 */
public record Checkpoint(Position next, int nextRoundBlocks, ModelState state, ListenerStates listeners) {
    public Checkpoint {
        if (nextRoundBlocks < 1) {
            throw new IllegalArgumentException("a round covers at least one block of tau steps: " + nextRoundBlocks);
        }
    }
}
