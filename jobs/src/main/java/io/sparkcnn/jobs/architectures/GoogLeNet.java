package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015, table 1): a 7x7/2 stem, nine Inception modules (parallel 1x1,
 * 1x1->3x3, 1x1->5x5 and 3x3 pool->1x1 branches, concatenated along depth), global average pooling, dropout
 * 0.4 and a softmax. DL4J's zoo has no GoogLeNet, so it is built here as a computation graph. The two
 * auxiliary classifiers the paper used only as a training aid are left out.
 */
final class GoogLeNet {
    private GoogLeNet() {}

    static NetworkSpec spec(ImageShape input, int classes, Hyper hyper) {
        ComputationGraphConfiguration.GraphBuilder g = hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
        g.addLayer("conv1", conv(7, 2, 64), "input")
                .addLayer("pool1", maxPool(3, 2), "conv1")
                .addLayer("norm1", lrn(), "pool1")
                .addLayer("conv2_reduce", conv(1, 1, 64), "norm1")
                .addLayer("conv2", conv(3, 1, 192), "conv2_reduce")
                .addLayer("norm2", lrn(), "conv2")
                .addLayer("pool2", maxPool(3, 2), "norm2");
        String last = "pool2";
        last = inception(g, "3a", last, 64, 96, 128, 16, 32, 32);
        last = inception(g, "3b", last, 128, 128, 192, 32, 96, 64);
        g.addLayer("pool3", maxPool(3, 2), last);
        last = inception(g, "4a", "pool3", 192, 96, 208, 16, 48, 64);
        last = inception(g, "4b", last, 160, 112, 224, 24, 64, 64);
        last = inception(g, "4c", last, 128, 128, 256, 24, 64, 64);
        last = inception(g, "4d", last, 112, 144, 288, 32, 64, 64);
        last = inception(g, "4e", last, 256, 160, 320, 32, 128, 128);
        g.addLayer("pool4", maxPool(3, 2), last);
        last = inception(g, "5a", "pool4", 256, 160, 320, 32, 128, 128);
        last = inception(g, "5b", last, 384, 192, 384, 48, 128, 128);
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .dropOut(hyper.keepProbability(0.4)).build(), "avgpool")
                .setOutputs("output");
        return NetworkSpec.of(hyper.layout(g, "input").build());
    }

    /** One Inception module; returns the name of its depth concatenation. */
    private static String inception(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                    int n1x1, int n3x3reduce, int n3x3, int n5x5reduce, int n5x5, int poolProj) {
        String p = "inception" + name + "_";
        g.addLayer(p + "1x1", conv(1, 1, n1x1), in)
                .addLayer(p + "3x3_reduce", conv(1, 1, n3x3reduce), in)
                .addLayer(p + "3x3", conv(3, 1, n3x3), p + "3x3_reduce")
                .addLayer(p + "5x5_reduce", conv(1, 1, n5x5reduce), in)
                .addLayer(p + "5x5", conv(5, 1, n5x5), p + "5x5_reduce")
                .addLayer(p + "pool", maxPool(3, 1), in)
                .addLayer(p + "pool_proj", conv(1, 1, poolProj), p + "pool")
                .addVertex(p + "output", new MergeVertex(), p + "1x1", p + "3x3", p + "5x5", p + "pool_proj");
        return p + "output";
    }

    private static ConvolutionLayer conv(int kernel, int stride, int filters) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters).build();
    }

    private static SubsamplingLayer maxPool(int kernel, int stride) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(kernel, kernel)
                .stride(stride, stride).build();
    }

    private static LocalResponseNormalization lrn() {
        return new LocalResponseNormalization.Builder().k(2).n(5).alpha(1e-4).beta(0.75).build();
    }
}
