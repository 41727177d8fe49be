package io.sparkcnn.workers.train;

import java.io.Serializable;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.api.buffer.DataType;
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
        return new ModelState(read(net.params()), state == null ? new float[0] : read(state),
                Networks.iterations(net), Networks.epochs(net));
    }

    /**
     * {@code net}'s state less {@code start}, with {@code net}'s counters: what a worker sends back, the same values
     * as subtracting {@code start} from {@code of(net)}, with one array per part instead of three (ND4J's {@code toFloatVector}
     * duplicates the array off the heap before copying it out).
     */
    public static ModelState changeOf(NeuralNetwork net, ModelState start) {
        return changeOf(net, start, null);
    }

    /**
     * {@link #changeOf(NeuralNetwork, ModelState)} written into {@code reusable}'s arrays where they have the
     * lengths needed (a change of an earlier round that nothing reads any more), else into new ones.
     */
    public static ModelState changeOf(NeuralNetwork net, ModelState start, ModelState reusable) {
        INDArray state = net.updaterState();
        return new ModelState(subtract(read(net.params(), reusable == null ? null : reusable.params), start.params),
                subtract(state == null ? new float[0] : read(state, reusable == null ? null : reusable.updaterState),
                        start.updaterState),
                Networks.iterations(net), Networks.epochs(net));
    }

    /** Overwrites {@code net}'s parameters, updater state and counters with this state. */
    public void applyTo(NeuralNetwork net) {
        long numParams = Networks.numParams(net);
        if (numParams != params.length) {
            throw new IllegalStateException("the network has " + numParams + " parameters but the state has "
                    + params.length + "; the state belongs to another architecture.");
        }
        write(params, net.params());
        INDArray state = net.updaterState();
        long stateLength = state == null ? 0 : state.length();
        if (stateLength != updaterState.length) {
            throw new IllegalStateException("the network's updater has " + stateLength + " state values but the"
                    + " state has " + updaterState.length + "; the state belongs to another updater.");
        }
        if (state != null && stateLength > 0) {
            write(updaterState, state);
        }
        Networks.setCounters(net, iterations, epochs);
    }

    /**
     * Whether {@code array} is a whole float buffer of its own, which {@link #read} and {@link #write} then copy in
     * one block: the flattened parameters and updater state of a DL4J network are.
     */
    private static boolean wholeFloatBuffer(INDArray array) {
        return array.dataType() == DataType.FLOAT && !array.isView() && array.offset() == 0
                && array.data().length() == array.length();
    }

    // One bulk copy between the heap and the array's native memory through JavaCPP's pointer, which ND4J's own
    // calls do not offer: Nd4j.createFromArray + assign and toFloatVector each go through a temporary native copy.
    private static float[] read(INDArray array) {
        return read(array, null);
    }

    /** {@link #read(INDArray)} into {@code reusable} when it has the array's length. */
    private static float[] read(INDArray array, float[] reusable) {
        if (!wholeFloatBuffer(array)) {
            return array.toFloatVector();
        }
        float[] out = reusable != null && reusable.length == array.length() ? reusable
                : new float[(int) array.length()];
        new FloatPointer(array.data().addressPointer()).get(out);
        return out;
    }

    private static void write(float[] values, INDArray array) {
        if (!wholeFloatBuffer(array)) {
            array.assign(Nd4j.createFromArray(values));
            return;
        }
        new FloatPointer(array.data().addressPointer()).put(values);
    }

    /** {@code values - start}, element by element, written over {@code values}. */
    private static float[] subtract(float[] values, float[] start) {
        if (values.length != start.length) {
            throw new IllegalStateException("states of different sizes: " + values.length + " and " + start.length);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] -= start[i];
        }
        return values;
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

    /** This state with the epoch counter set, as the driver does at each epoch's end. */
    public ModelState atEpoch(int epoch) {
        return new ModelState(params, updaterState, iterations, epoch);
    }
}
