package io.sparkcnn.workers.train;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Classical (heavy-ball) momentum SGD, {@code v = mu * v + g; w -= lr * v}, as in Krizhevsky et al. 2012 and
 * PyTorch's {@code SGD(momentum=...)}. Written here because DL4J offers only Nesterov's variant
 * ({@code Nesterovs}); it plugs into DL4J's updater API, so its velocity is part of the updater state that
 * the engine averages and checkpoints like any other.
 */
public final class Momentum implements IUpdater {
    private double learningRate;
    private double momentum;

    /** For DL4J's JSON deserialisation of configurations. */
    public Momentum() {
        this(0.01, 0.9);
    }

    public Momentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double getMomentum() {
        return momentum;
    }

    public double getLearningRate() {
        return learningRate;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        Updater updater = new Updater(this);
        updater.setState(state, initializeStateArrays);
        return updater;
    }

    @Override
    public IUpdater clone() {
        return new Momentum(learningRate, momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        if (schedule != null) {
            throw new UnsupportedOperationException("Momentum takes its learning rate from the driver's schedule");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Momentum m && m.learningRate == learningRate && m.momentum == momentum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum);
    }

    @Override
    public String toString() {
        return "Momentum(lr=" + learningRate + ", momentum=" + momentum + ")";
    }

    /** The per-block state: one velocity value per parameter. */
    private static final class Updater implements GradientUpdater<Momentum> {
        private final Momentum config;
        private INDArray velocity;

        Updater(Momentum config) {
            this.config = config;
        }

        @Override
        public Momentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            INDArray v = state.get("V");
            if (v == null) {
                throw new IllegalStateException("momentum state needs an array named V, got " + state.keySet());
            }
            velocity = v;
            if (initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of("V", velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(order, gradientShape);
        }

        /** Turns the gradient, in place, into the step DL4J subtracts from the parameters. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            velocity.muli(config.momentum).addi(gradient);
            gradient.assign(velocity).muli(config.learningRate);
        }
    }
}
