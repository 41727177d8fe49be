package io.sparkcnn.driver.engine;

/**
 * The learning rate for each round, decided on the driver from its epoch and iteration counters and sent to
 * every worker with the round's state, so that all workers step at the same rate.
 */
public interface LearningRateSchedule {
    static LearningRateSchedule constant(double rate) {
        return (epoch, iteration) -> rate;
    }

    /** The rate for a round of {@code epoch} (from 1) that starts at global minibatch step {@code iteration}. */
    double rate(int epoch, long iteration);
}
