package io.sparkcnn.driver.schedule;

import io.sparkcnn.driver.engine.LearningRateSchedule;
import java.util.List;

/**
 * The learning-rate schedules the literature uses, as functions of the driver's epoch (from 1) and global
 * minibatch step, so that every worker of a round steps at the same rate. Written here rather than with DL4J's
 * {@code ISchedule}s because those run inside each worker's network from its own counters, and because
 * reduce-on-plateau needs the validation metric that only the driver sees.
 */
public final class Schedules {
    private Schedules() {}

    /** Multiplies {@code base} by {@code factor} at the start of each of {@code epochs} (AlexNet's divide by 10). */
    public static LearningRateSchedule step(double base, List<Integer> epochs, double factor) {
        return (epoch, iteration) -> {
            double rate = base;
            for (int e : epochs) {
                if (epoch >= e) {
                    rate *= factor;
                }
            }
            return rate;
        };
    }

    /** {@code base * factor^(epoch - 1)}. */
    public static LearningRateSchedule exponential(double base, double factor) {
        return (epoch, iteration) -> base * Math.pow(factor, epoch - 1);
    }

    /** Cosine annealing (Loshchilov and Hutter 2017) from {@code base} at step 0 to {@code min} at {@code totalSteps}. */
    public static LearningRateSchedule cosine(double base, double min, long totalSteps) {
        return (epoch, iteration) -> {
            double t = Math.min(1.0, (double) iteration / totalSteps);
            return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * t));
        };
    }

    /**
     * Linear warm-up (Goyal et al. 2017) over the first {@code warmupSteps} steps, then {@code then}: the rate a
     * round gets is the one for the step it starts at, counted from 1 so that the first round does not get 0.
     */
    public static LearningRateSchedule warmup(LearningRateSchedule then, long warmupSteps) {
        if (warmupSteps <= 0) {
            return then;
        }
        return (epoch, iteration) -> then.rate(epoch, iteration) * Math.min(1.0, (iteration + 1.0) / warmupSteps);
    }
}
