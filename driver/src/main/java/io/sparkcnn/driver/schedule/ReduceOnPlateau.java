package io.sparkcnn.driver.schedule;

import io.sparkcnn.driver.engine.LearningRateSchedule;

/**
 * Reduce-on-plateau: the rate starts at {@code base} and is multiplied by {@code factor} (down to {@code min})
 * whenever the validation metric has not improved for {@code patience} epochs. The driver feeds it each
 * epoch's metric; its state is part of a checkpoint, so a resumed run keeps the reduced rate.
 */
public final class ReduceOnPlateau implements LearningRateSchedule {
    private final double factor;
    private final double min;
    private final int patience;
    private double rate;
    private double best = Double.NEGATIVE_INFINITY;
    private int epochsWithoutImprovement;

    public ReduceOnPlateau(double base, double factor, double min, int patience) {
        this.rate = base;
        this.factor = factor;
        this.min = min;
        this.patience = patience;
    }

    @Override
    public double rate(int epoch, long iteration) {
        return rate;
    }

    /** Records an epoch's validation metric (higher is better); true when this lowered the rate. */
    public boolean observe(double metric) {
        if (metric > best) {
            best = metric;
            epochsWithoutImprovement = 0;
            return false;
        }
        epochsWithoutImprovement++;
        if (epochsWithoutImprovement >= patience && rate > min) {
            rate = Math.max(min, rate * factor);
            epochsWithoutImprovement = 0;
            return true;
        }
        return false;
    }

    public State state() {
        return new State(rate, best, epochsWithoutImprovement);
    }

    public void restore(State state) {
        rate = state.rate();
        best = state.best();
        epochsWithoutImprovement = state.epochsWithoutImprovement();
    }

    /** What a checkpoint keeps of it. */
    public record State(double rate, double best, int epochsWithoutImprovement) {}
}
