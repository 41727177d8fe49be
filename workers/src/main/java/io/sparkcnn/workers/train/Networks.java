package io.sparkcnn.workers.train;

import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the engine needs from a network that DL4J's {@link NeuralNetwork} interface does not offer, for both a
 * {@link MultiLayerNetwork} and a single-input, single-output {@link ComputationGraph}.
 */
public final class Networks {
    private Networks() {}

    public static long numParams(NeuralNetwork net) {
        return net.params().length();
    }

    public static int iterations(NeuralNetwork net) {
        return net instanceof ComputationGraph cg ? cg.getIterationCount() : mln(net).getIterationCount();
    }

    public static int epochs(NeuralNetwork net) {
        return net instanceof ComputationGraph cg ? cg.getEpochCount() : mln(net).getEpochCount();
    }

    public static void setCounters(NeuralNetwork net, int iterations, int epochs) {
        if (net instanceof ComputationGraph cg) {
            cg.getConfiguration().setIterationCount(iterations);
            cg.getConfiguration().setEpochCount(epochs);
        } else {
            mln(net).setIterationCount(iterations);
            mln(net).setEpochCount(epochs);
        }
    }

    /** The loss of the last minibatch fitted. */
    public static double score(NeuralNetwork net) {
        return net instanceof ComputationGraph cg ? cg.score() : mln(net).score();
    }

    /** Class probabilities for a minibatch of features, in inference mode (no dropout). */
    public static INDArray output(NeuralNetwork net, INDArray features) {
        return net instanceof ComputationGraph cg ? cg.outputSingle(false, features) : mln(net).output(features, false);
    }

    /**
     * Sets every layer's learning rate, replacing the configured one; the updater state (momentum, moments) is
     * kept. Layers without a learning rate (frozen ones) are left alone. Setting it rebuilds DL4J's updater, so
     * it is skipped when every layer already has that rate (a constant schedule, or the same rate as the last
     * round on this cached network).
     */
    public static void setLearningRate(NeuralNetwork net, double learningRate) {
        if (hasLearningRate(net, learningRate)) {
            return;
        }
        if (net instanceof ComputationGraph cg) {
            cg.setLearningRate(learningRate);
        } else {
            mln(net).setLearningRate(learningRate);
        }
    }

    private static boolean hasLearningRate(NeuralNetwork net, double learningRate) {
        if (net instanceof ComputationGraph cg) {
            for (org.deeplearning4j.nn.api.Layer layer : cg.getLayers()) {
                Double rate = cg.getLearningRate(layer.conf().getLayer().getLayerName());
                if (rate != null && rate != learningRate) {
                    return false;
                }
            }
            return true;
        }
        MultiLayerNetwork m = mln(net);
        for (int i = 0; i < m.getnLayers(); i++) {
            Double rate = m.getLearningRate(i);
            if (rate != null && rate != learningRate) {
                return false;
            }
        }
        return true;
    }

    private static MultiLayerNetwork mln(NeuralNetwork net) {
        if (net instanceof MultiLayerNetwork m) {
            return m;
        }
        throw new IllegalArgumentException("unsupported network type " + net.getClass().getName());
    }
}
