package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.train.ChannelsLastInput;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What every architecture takes from the job besides its input and classes: the seed for initialisation,
 * the optimiser, the regularisers and gradient clipping, the dropout rate of its fully connected layers (of
 * the convolutions, for the wide ResNets and DenseNet-BC; NaN: the architecture's published rate), and whether
 * its convolution, pooling and batch-norm layers run channels-last ({@code model.data-format = NHWC}).
 */
public record Hyper(long seed, IUpdater updater, double l1, double l2, double weightDecay, double dropout,
                    double gradientClip, boolean channelsLast) {

    public static Hyper of(long seed, IUpdater updater) {
        return new Hyper(seed, updater, 0, 0, 0, Double.NaN, 0, false);
    }

    /** These settings with the layers channels-last or not. */
    public Hyper withChannelsLast(boolean last) {
        return new Hyper(seed, updater, l1, l2, weightDecay, dropout, gradientClip, last);
    }

    /**
     * With {@link #channelsLast()}, puts a {@link ChannelsLastInput} in front of the first layer, so that the network
     * still takes NCHW minibatches while DL4J gives every later convolution, pooling, batch-norm and merge its
     * input's NHWC layout when it builds the configuration. Call it before {@code build()}.
     */
    public NeuralNetConfiguration.ListBuilder layout(NeuralNetConfiguration.ListBuilder layers) {
        return channelsLast ? layers.inputPreProcessor(0, new ChannelsLastInput()) : layers;
    }

    /** {@link #layout(NeuralNetConfiguration.ListBuilder)} for a graph: every layer that reads {@code input}. */
    public ComputationGraphConfiguration.GraphBuilder layout(ComputationGraphConfiguration.GraphBuilder g,
                                                             String input) {
        if (channelsLast) {
            g.getVertexInputs().forEach((vertex, inputs) -> {
                if (inputs.contains(input)) {
                    if (!(g.getVertices().get(vertex) instanceof LayerVertex)) {
                        throw new IllegalStateException("channels-last: '" + vertex + "' reads the image but is"
                                + " not a layer, so it cannot take the NHWC transposition");
                    }
                    g.inputPreProcessor(vertex, new ChannelsLastInput());
                }
            });
        }
        return g;
    }

    /** DL4J's network-wide builder with these settings; layers inherit them. */
    public NeuralNetConfiguration.Builder base(WeightInit init) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(init)
                .updater(updater);
        if (l1 > 0) {
            b.l1(l1);
        }
        if (l2 > 0) {
            b.l2(l2);
        }
        if (weightDecay > 0) {
            // DL4J's WeightDecay is the decoupled form of Loshchilov and Hutter: with Adam it is AdamW.
            b.weightDecay(weightDecay, true);
        }
        if (gradientClip > 0) {
            b.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(gradientClip);
        }
        return b;
    }

    /**
     * DL4J's dropout argument for a layer whose input should be dropped at this job's rate, or at
     * {@code published} when the job gives none: DL4J takes the probability to keep, not to drop. 0 = none.
     */
    public double keepProbability(double published) {
        double rate = Double.isNaN(dropout) ? published : dropout;
        return rate <= 0 ? 0 : 1 - rate;
    }
}
