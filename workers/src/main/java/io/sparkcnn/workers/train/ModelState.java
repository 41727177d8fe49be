package io.sparkcnn.workers.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the driver broadcasts every round and averages afterwards: the flattened parameters, the flattened
 * updater state (momentum, Adam's moments...; averaged too, or the optimiser would restart every round) and the
 * iteration and epoch counters that learning-rate schedules and Adam's bias correction read.
 * Plain float arrays, so that Spark ships them with no ND4J serialisation involved.
 */
public record ModelState(float[] params, float[] updaterState, int iterations, int epochs) implements Serializable {

    public static ModelState of(MultiLayerNetwork net) {
        INDArray state = updaterView(net);
        return new ModelState(
                net.params().toFloatVector(),
                state == null ? new float[0] : state.toFloatVector(),
                net.getIterationCount(),
                net.getEpochCount());
    }

    /** Overwrites {@code net}'s parameters, updater state and counters with this state. */
    public void applyTo(MultiLayerNetwork net) {
        if (net.numParams() != params.length) {
            throw new IllegalStateException("the network has " + net.numParams() + " parameters but the state has "
                    + params.length + "; the state belongs to another architecture.");
        }
        net.params().assign(Nd4j.createFromArray(params));
        INDArray state = updaterView(net);
        long stateLength = state == null ? 0 : state.length();
        if (stateLength != updaterState.length) {
            throw new IllegalStateException("the network's updater has " + stateLength + " state values but the"
                    + " state has " + updaterState.length + "; the state belongs to another updater.");
        }
        if (state != null && stateLength > 0) {
            state.assign(Nd4j.createFromArray(updaterState));
        }
        net.setIterationCount(iterations);
        net.setEpochCount(epochs);
    }

    private static INDArray updaterView(MultiLayerNetwork net) {
        Updater updater = net.getUpdater(true);
        return updater == null ? null : updater.getStateViewArray();
    }
}
