package io.sparkcnn.workers.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network's DL4J configuration as it travels to the executors: its JSON, and whether it describes a layer
 * stack ({@link MultiLayerNetwork}) or a graph ({@link ComputationGraph}, for Inception and residual blocks).
 */
public record NetworkSpec(boolean graph, String json) implements Serializable {

    public static NetworkSpec of(MultiLayerConfiguration configuration) {
        return new NetworkSpec(false, configuration.toJson());
    }

    public static NetworkSpec of(ComputationGraphConfiguration configuration) {
        return new NetworkSpec(true, configuration.toJson());
    }

    /** The spec of an already built network, for instance one restored from a saved model. */
    public static NetworkSpec of(NeuralNetwork net) {
        if (net instanceof MultiLayerNetwork mln) {
            return of(mln.getLayerWiseConfigurations());
        }
        if (net instanceof ComputationGraph cg) {
            return of(cg.getConfiguration());
        }
        throw new IllegalArgumentException("unsupported network type " + net.getClass().getName());
    }

    /**
     * Builds the network with freshly initialised parameters (from the configuration's seed), its batch-norm layers
     * with {@link GemmBatchNorm}'s faster training passes.
     */
    public NeuralNetwork build() {
        NeuralNetwork net = graph
                ? new ComputationGraph(ComputationGraphConfiguration.fromJson(json))
                : new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        net.init();
        GemmBatchNorm.install(net);
        return net;
    }
}
