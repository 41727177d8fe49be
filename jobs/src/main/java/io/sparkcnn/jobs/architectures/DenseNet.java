package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * DenseNet-BC (Huang et al. 2017, the CIFAR form): a 3x3 stem of 2k filters, three dense blocks of (depth - 4) / 6
 * bottleneck layers (BN-ReLU-conv1x1 to 4k, BN-ReLU-conv3x3 to k, the k new maps concatenated to all before them
 * with a {@link MergeVertex}), transitions that halve the channels (BN-ReLU-conv1x1, compression 0.5) and the map
 * (2x2 average pooling), then BN-ReLU, global average pooling and a softmax. Dropout after every convolution only
 * when {@code model.dropout} asks (the paper's 0.2 was for the runs without augmentation).
 */
final class DenseNet {
    private DenseNet() {}

    static NetworkSpec bc(ImageShape input, int classes, Hyper hyper, int depth, int growth) {
        if (depth < 10 || (depth - 4) % 6 != 0) {
            throw new IllegalArgumentException("a DenseNet-BC has 6n+4 layers (100, 190, 250), not " + depth);
        }
        int layersPerBlock = (depth - 4) / 6;
        double keep = hyper.keepProbability(0);
        ComputationGraphConfiguration.GraphBuilder g = ResNet.start(input, hyper);
        int channels = 2 * growth;
        String last = conv(g, "conv1", "input", 3, channels, 0);
        for (int block = 1; block <= 3; block++) {
            for (int layer = 1; layer <= layersPerBlock; layer++) {
                last = denseLayer(g, "dense" + block + "_" + layer, last, growth, keep);
                channels += growth;
            }
            if (block < 3) {
                channels /= 2;
                last = transition(g, "transition" + block, last, channels, keep);
            }
        }
        g.addLayer("final_bn", bnRelu(), last);
        return ResNet.finish(g, "final_bn", classes, hyper);
    }

    /** One bottleneck layer; returns the name of the concatenation of its input and its k new maps. */
    private static String denseLayer(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int growth,
                                     double keep) {
        g.addLayer(name + "_bn1", bnRelu(), in);
        String a = conv(g, name + "_conv1", name + "_bn1", 1, 4 * growth, keep);
        g.addLayer(name + "_bn2", bnRelu(), a);
        String b = conv(g, name + "_conv2", name + "_bn2", 3, growth, keep);
        g.addVertex(name + "_concat", new MergeVertex(), in, b);
        return name + "_concat";
    }

    private static String transition(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                     int channels, double keep) {
        g.addLayer(name + "_bn", bnRelu(), in);
        String c = conv(g, name + "_conv", name + "_bn", 1, channels, keep);
        g.addLayer(name + "_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2)
                .stride(2, 2).build(), c);
        return name + "_pool";
    }

    /** A convolution without bias, as in the reference, followed by dropout when {@code keep} is above 0. */
    private static String conv(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int kernel,
                               int filters, double keep) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).hasBias(false)
                .activation(Activation.IDENTITY).build(), in);
        if (keep <= 0) {
            return name;
        }
        g.addLayer(name + "_dropout", new DropoutLayer.Builder(keep).build(), name);
        return name + "_dropout";
    }

    private static BatchNormalization bnRelu() {
        return new BatchNormalization.Builder().activation(Activation.RELU).build();
    }
}
