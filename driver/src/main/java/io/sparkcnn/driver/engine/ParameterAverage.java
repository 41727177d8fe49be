package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import java.io.Serializable;

/**
 * The running sum behind one round's average, combined by Spark's tree aggregation: the workers' changes to
 * the parameters and updater state, weighted by the examples each worker trained on (so a worker whose shard ran short at the end of an
 * epoch counts for what it saw), plus the round's totals.
 */
public final class ParameterAverage implements Serializable {
    private float[] paramSum;
    private float[] stateSum;
    private long examples;
    private int workers;
    private int maxSteps;
    private int minibatches;
    private double lossSum;
    private long maxTrainNanos;

    public ParameterAverage add(RoundResult result) {
        ModelState s = result.state();
        if (paramSum == null) {
            paramSum = new float[s.params().length];
            stateSum = new float[s.updaterState().length];
        }
        float weight = result.examples();
        addScaled(paramSum, s.params(), weight);
        addScaled(stateSum, s.updaterState(), weight);
        examples += result.examples();
        workers++;
        maxSteps = Math.max(maxSteps, result.minibatches());
        minibatches += result.minibatches();
        lossSum += result.lossSum();
        maxTrainNanos = Math.max(maxTrainNanos, result.trainNanos());
        return this;
    }

    public ParameterAverage merge(ParameterAverage other) {
        if (other.paramSum == null) {
            return this;
        }
        if (paramSum == null) {
            return other;
        }
        addScaled(paramSum, other.paramSum, 1f);
        addScaled(stateSum, other.stateSum, 1f);
        examples += other.examples;
        workers += other.workers;
        maxSteps = Math.max(maxSteps, other.maxSteps);
        minibatches += other.minibatches;
        lossSum += other.lossSum;
        maxTrainNanos = Math.max(maxTrainNanos, other.maxTrainNanos);
        return this;
    }

    /**
     * {@code start} moved by the average change; the iteration counter moves on by the most steps any worker
     * took, as if the round's workers had stepped in lockstep.
     */
    public ModelState average(ModelState start) {
        if (paramSum == null) {
            return start;
        }
        ModelState change = new ModelState(scaled(paramSum, 1.0 / examples), scaled(stateSum, 1.0 / examples),
                start.iterations() + maxSteps, start.epochs());
        ModelState moved = start.plus(change);
        return new ModelState(moved.params(), moved.updaterState(), change.iterations(), start.epochs());
    }

    public long examples() {
        return examples;
    }

    public int workers() {
        return workers;
    }

    public int minibatches() {
        return minibatches;
    }

    public double meanLoss() {
        return minibatches == 0 ? Double.NaN : lossSum / minibatches;
    }

    public long maxTrainNanos() {
        return maxTrainNanos;
    }

    private static void addScaled(float[] into, float[] values, float weight) {
        if (into.length != values.length) {
            throw new IllegalStateException("workers returned states of different sizes: " + into.length
                    + " and " + values.length);
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i] * weight;
        }
    }

    private static float[] scaled(float[] values, double factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] * factor);
        }
        return out;
    }
}
