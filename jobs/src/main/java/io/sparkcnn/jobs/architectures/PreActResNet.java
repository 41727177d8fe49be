package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Pre-activation residual networks (He et al. 2016, "Identity Mappings in Deep Residual Networks") and the wide
 * residual networks built from the same block (Zagoruyko and Komodakis 2016): every block is BN-ReLU-conv3x3
 * twice, added to an untouched identity shortcut, and the network ends with BN-ReLU before the global pooling.
 * A block that changes the shape reads both its branch and its 1x1 projection shortcut (option B, no batch
 * norm) from its pre-activated input, as the authors' code and the reference PyTorch ports do.
 * <ul>
 *   <li>PreAct-ResNet-18: the 3x3 64-filter stem of the CIFAR tables (no max pool) and four stages of two blocks
 *       with 64, 128, 256 and 512 filters (Kuang Liu's pytorch-cifar, as the mixup and cutout papers train it).
 *   <li>The CIFAR form, 6n+2 layers (20, 56, 110): a 16-filter stem, three stages of n blocks of 16, 32, 64.
 *   <li>WRN-d-k, d = 6n+4: a 16-filter stem, three stages of n blocks of 16k, 32k and 64k filters, and dropout
 *       between a block's two convolutions (the paper's 0.3 with {@code model.dropout}; none by default).
 * </ul>
 */
final class PreActResNet {
    private PreActResNet() {}

    static NetworkSpec eighteen(ImageShape input, int classes, Hyper hyper) {
        return build(input, classes, hyper, 64, new int[] {64, 128, 256, 512}, 2, 0);
    }

    static NetworkSpec cifar(ImageShape input, int classes, Hyper hyper, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR-form pre-activation ResNet has 6n+2 layers (20, 56, 110),"
                    + " not " + depth);
        }
        return build(input, classes, hyper, 16, new int[] {16, 32, 64}, (depth - 2) / 6, 0);
    }

    static NetworkSpec wide(ImageShape input, int classes, Hyper hyper, int depth, int widen) {
        if (depth < 10 || (depth - 4) % 6 != 0) {
            throw new IllegalArgumentException("model.depth: a wide ResNet has 6n+4 layers (10, 16, 22, 28, 40), not "
                    + depth);
        }
        if (widen < 1) {
            throw new IllegalArgumentException("model.widen-factor must be at least 1, not " + widen);
        }
        return build(input, classes, hyper, 16, new int[] {16 * widen, 32 * widen, 64 * widen}, (depth - 4) / 6,
                hyper.keepProbability(0));
    }

    /** {@code keep}: DL4J's probability to keep a block's second convolution's inputs (0: no dropout). */
    private static NetworkSpec build(ImageShape input, int classes, Hyper hyper, int stem, int[] widths,
                                     int blocksPerStage, double keep) {
        ComputationGraphConfiguration.GraphBuilder g = ResNet.start(input, hyper);
        String last = conv(g, "conv1", "input", 3, 1, stem, 0);
        int inChannels = stem;
        for (int stage = 0; stage < widths.length; stage++) {
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                last = block(g, "res" + (stage + 2) + "_" + (b + 1), last, inChannels, widths[stage], stride, keep);
                inChannels = widths[stage];
            }
        }
        g.addLayer("final_bn", bnRelu(), last);
        return ResNet.finish(g, "final_bn", classes, hyper);
    }

    /** One pre-activation block; returns the name of its residual sum. */
    private static String block(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int inChannels,
                                int width, int stride, double keep) {
        String pre = name + "_bn1";
        g.addLayer(pre, bnRelu(), in);
        String a = conv(g, name + "_conv1", pre, 3, stride, width, 0);
        g.addLayer(name + "_bn2", bnRelu(), a);
        String b = conv(g, name + "_conv2", name + "_bn2", 3, 1, width, keep);
        boolean project = inChannels != width || stride != 1;
        String shortcut = project ? conv(g, name + "_shortcut", pre, 1, stride, width, 0) : in;
        g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        return name;
    }

    /** A convolution without bias, as in the references (the next batch norm's shift replaces it). */
    private static String conv(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int kernel,
                               int stride, int filters, double keep) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .hasBias(false).activation(Activation.IDENTITY).dropOut(keep).build(), in);
        return name;
    }

    private static BatchNormalization bnRelu() {
        return new BatchNormalization.Builder().activation(Activation.RELU).build();
    }
}
