package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Residual networks (He et al. 2016) in both of the paper's forms, from one builder so that they stay alike:
 * the ImageNet form (ResNet-18/34 with basic 3x3-3x3 blocks, ResNet-50 with 1x1-3x3-1x1 bottlenecks, after a
 * 7x7/2 stem and a 3x3/2 max pool) and the CIFAR form (ResNet-20/56: 6n+2 layers, a 3x3 stem and three stages
 * of n basic blocks with 16, 32 and 64 filters). Every convolution is followed by batch normalisation; a block
 * that changes the shape gets a 1x1 projection shortcut (the paper's option B; its CIFAR runs used zero-padded
 * identity shortcuts, option A, which DL4J has no layer for and which saves only a few thousand parameters).
 * Built here, not from DL4J's zoo, because the zoo has only ResNet-50 and the job's regularisers must apply.
 */
final class ResNet {
    private ResNet() {}

    static NetworkSpec imageNet(ImageShape input, int classes, Hyper hyper, int depth) {
        int[] blocks = switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34, 50 -> new int[] {3, 4, 6, 3};
            default -> throw new IllegalArgumentException("the ImageNet ResNets are 18, 34 and 50, not " + depth);
        };
        boolean bottleneck = depth == 50;
        ComputationGraphConfiguration.GraphBuilder g = start(input, hyper);
        String last = convBn(g, "conv1", "input", 7, 2, 64, true);
        g.addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3)
                .stride(2, 2).build(), last);
        last = "pool1";
        int inChannels = 64;
        for (int stage = 0; stage < 4; stage++) {
            int width = 64 << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String name = "res" + (stage + 2) + (char) ('a' + b);
                int out = bottleneck ? 4 * width : width;
                last = bottleneck
                        ? bottleneck(g, name, last, width, stride, inChannels != out || stride != 1)
                        : basic(g, name, last, width, stride, inChannels != out || stride != 1);
                inChannels = out;
            }
        }
        return finish(g, last, classes, hyper);
    }

    static NetworkSpec cifar(ImageShape input, int classes, Hyper hyper, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR-form ResNet has 6n+2 layers (20, 32, 44, 56, 110), not "
                    + depth);
        }
        int n = (depth - 2) / 6;
        ComputationGraphConfiguration.GraphBuilder g = start(input, hyper);
        String last = convBn(g, "conv1", "input", 3, 1, 16, true);
        int inChannels = 16;
        for (int stage = 0; stage < 3; stage++) {
            int width = 16 << stage;
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                last = basic(g, "res" + (stage + 2) + "_" + (b + 1), last, width, stride,
                        inChannels != width || stride != 1);
                inChannels = width;
            }
        }
        return finish(g, last, classes, hyper);
    }

    /** A graph of same-padded layers from an input named "input"; the pre-activation networks start the same way. */
    static ComputationGraphConfiguration.GraphBuilder start(ImageShape input, Hyper hyper) {
        return hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
    }

    /**
     * Global average pooling of {@code last} and the softmax output: every residual and dense network's head; and
     * the input's layout ({@link Hyper#layout}).
     */
    static NetworkSpec finish(ComputationGraphConfiguration.GraphBuilder g, String last, int classes, Hyper hyper) {
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "avgpool")
                .setOutputs("output");
        return NetworkSpec.of(hyper.layout(g, "input").build());
    }

    private static String basic(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int width,
                                int stride, boolean project) {
        String a = convBn(g, name + "_branch2a", in, 3, stride, width, true);
        String b = convBn(g, name + "_branch2b", a, 3, 1, width, false);
        return add(g, name, in, b, width, stride, project);
    }

    private static String bottleneck(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                     int width, int stride, boolean project) {
        String a = convBn(g, name + "_branch2a", in, 1, stride, width, true);
        String b = convBn(g, name + "_branch2b", a, 3, 1, width, true);
        String c = convBn(g, name + "_branch2c", b, 1, 1, 4 * width, false);
        return add(g, name, in, c, 4 * width, stride, project);
    }

    /** The residual sum and its ReLU; the shortcut is the identity or a 1x1 projection. */
    private static String add(ComputationGraphConfiguration.GraphBuilder g, String name, String in, String branch,
                              int channels, int stride, boolean project) {
        String shortcut = project ? convBn(g, name + "_branch1", in, 1, stride, channels, false) : in;
        g.addVertex(name + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut)
                .addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_sum");
        return name + "_relu";
    }

    /** A convolution without bias (batch normalisation's shift replaces it), batch norm, and maybe a ReLU. */
    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int kernel,
                                 int stride, int filters, boolean relu) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                        .hasBias(false).activation(Activation.IDENTITY).build(), in)
                .addLayer(name + "_bn", new BatchNormalization.Builder()
                        .activation(relu ? Activation.RELU : Activation.IDENTITY).build(), name);
        return name + "_bn";
    }
}
