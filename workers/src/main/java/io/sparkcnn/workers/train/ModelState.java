package io.sparkcnn.workers.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the driver broadcasts every round and averages afterwards: the flattened parameters, the flattened
 * updater state (momentum, Adam's moments...; averaged too, or the optimiser would restart every round) and the
 * iteration and epoch counters that learning-rate schedules and Adam's bias correction read.
 * Plain float arrays, so that Spark ships them with no ND4J serialisation involved.
 */
public record ModelState(float[] params, float[] updaterState, int iterations, int epochs) implements Serializable {

    public static ModelState of(NeuralNetwork net) {
        INDArray state = net.updaterState();
        return new ModelState(
                net.params().toFloatVector(),
                state == null ? new float[0] : state.toFloatVector(),
                Networks.iterations(net),
                Networks.epochs(net));
    }

    /** Overwrites {@code net}'s parameters, updater state and counters with this state. */
    public void applyTo(NeuralNetwork net) {
        long numParams = Networks.numParams(net);
        if (numParams != params.length) {
            throw new IllegalStateException("the network has " + numParams + " parameters but the state has "
                    + params.length + "; the state belongs to another architecture.");
        }
        net.params().assign(Nd4j.createFromArray(params));
        INDArray state = net.updaterState();
        long stateLength = state == null ? 0 : state.length();
        if (stateLength != updaterState.length) {
            throw new IllegalStateException("the network's updater has " + stateLength + " state values but the"
                    + " state has " + updaterState.length + "; the state belongs to another updater.");
        }
        if (state != null && stateLength > 0) {
            state.assign(Nd4j.createFromArray(updaterState));
        }
        Networks.setCounters(net, iterations, epochs);
    }

    /** The change from {@code start} to this state, with this state's counters: what a worker sends back. */
    public ModelState minus(ModelState start) {
        return new ModelState(difference(params, start.params), difference(updaterState, start.updaterState),
                iterations, epochs);
    }

    /** {@code delta} applied to this state, keeping this state's counters. */
    public ModelState plus(ModelState delta) {
        float[] p = params.clone();
        float[] u = updaterState.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += delta.params[i];
        }
        for (int i = 0; i < u.length; i++) {
            u[i] += delta.updaterState[i];
        }
        return new ModelState(p, u, iterations, epochs);
    }

    private static float[] difference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("states of different sizes: " + a.length + " and " + b.length);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** This state with the epoch counter set, as the driver does at each epoch's end. */
    public ModelState atEpoch(int epoch) {
        return new ModelState(params, updaterState, iterations, epoch);
    }
}
