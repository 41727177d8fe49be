package io.sparkcnn.driver.ema;

import io.sparkcnn.driver.checkpoint.StatefulListener;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.workers.train.ModelState;

/**
 * Polyak averaging on the driver: an exponential moving average of the averaged parameters, updated after every
 * round as {@code ema = decay * ema + (1 - decay) * params}, so that what a run evaluates and keeps can be the
 * average of its recent weights rather than the last of them. It starts at the first round of {@code startEpoch}
 * as a copy of the parameters (no bias toward a zero start, so no correction is needed); before that the run's
 * weights are the trained ones.
 *
 * <p>Every parameter is averaged, batch normalisation's running mean and standard deviation included (DL4J keeps
 * them among the parameters): the averaged weights are evaluated with averaged statistics, as timm's and
 * TensorFlow's EMA do with a model's buffers. The updater state and counters are not averaged.
 *
 * <p>The update reads only the round's averaged parameters, which the engine sums in partition order, and runs on
 * the driver in plain Java in double precision, so it repeats bit for bit; its weights travel in checkpoints as
 * raw floats ({@link #weights()}), so a resumed run goes on with the same bits.
 */
public final class ExponentialMovingAverage implements StatefulListener<ExponentialMovingAverage.State> {
    private final double decay;
    private final int startEpoch;
    /** Null until the first update. Never changed in place: {@link #applied} hands it out. */
    private float[] average;
    private long updates;

    public ExponentialMovingAverage(double decay, int startEpoch) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("an EMA decay must be in (0, 1), not " + decay);
        }
        if (startEpoch < 1) {
            throw new IllegalArgumentException("the EMA's start epoch counts from 1, not " + startEpoch);
        }
        this.decay = decay;
        this.startEpoch = startEpoch;
    }

    @Override
    public void onRound(RoundStats round, ModelState state, Position next) {
        if (round.epoch() < startEpoch) {
            return;
        }
        if (average == null && updates > 0) {
            throw new IllegalStateException("the EMA was restored with " + updates + " updates but no weights;"
                    + " the checkpoint is inconsistent: start the run again rather than resume it.");
        }
        average = average == null ? state.params().clone() : update(average, state.params(), decay);
        updates++;
    }

    /**
     * {@code average} moved toward {@code params}: {@code decay * average + (1 - decay) * params} per element, in
     * double and rounded once to float. A new array; the inputs are left as they are.
     */
    public static float[] update(float[] average, float[] params, double decay) {
        if (average.length != params.length) {
            throw new IllegalStateException("the EMA holds " + average.length + " weights but the model has "
                    + params.length + "; the EMA belongs to another architecture.");
        }
        double keep = 1 - decay;
        float[] next = new float[average.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = (float) (decay * average[i] + keep * params[i]);
        }
        return next;
    }

    /**
     * The state to evaluate and keep: {@code trained} with the average in place of its parameters (its updater
     * state and counters as trained), or {@code trained} itself before the average starts.
     */
    public ModelState applied(ModelState trained) {
        if (average == null) {
            return trained;
        }
        if (average.length != trained.params().length) {
            throw new IllegalStateException("the EMA holds " + average.length + " weights but the model has "
                    + trained.params().length + "; the EMA belongs to another architecture.");
        }
        return new ModelState(average, trained.updaterState(), trained.iterations(), trained.epochs());
    }

    /** Whether the average has started (the first round of the start epoch has run). */
    public boolean started() {
        return average != null;
    }

    /** Rounds averaged so far. */
    public long updates() {
        return updates;
    }

    public double decay() {
        return decay;
    }

    public int startEpoch() {
        return startEpoch;
    }

    @Override
    public String name() {
        return "ema";
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State state() {
        return new State(updates);
    }

    @Override
    public void restore(State state) {
        updates = state.updates();
        average = null;
    }

    @Override
    public float[] weights() {
        return average;
    }

    @Override
    public void restoreWeights(float[] weights) {
        average = weights.clone();
    }

    /** What a checkpoint keeps besides the weights: the rounds averaged so far. */
    public record State(long updates) {}
}
