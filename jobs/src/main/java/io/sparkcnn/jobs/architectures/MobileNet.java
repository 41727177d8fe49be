package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * MobileNet v1 (Howard et al. 2017, table 1): a 3x3/2 convolution, then 13 depthwise-separable blocks (a 3x3
 * depthwise convolution and a 1x1 pointwise one, each with batch normalisation and ReLU), global average
 * pooling and a softmax; 4.2 million parameters at width multiplier 1 on 1,000 classes. The width multiplier
 * alpha thins every layer. DL4J's zoo has no MobileNet.
 */
final class MobileNet {
    /** Pointwise filters and depthwise stride of each separable block, from the paper's table 1. */
    private static final int[][] BLOCKS = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}
    };

    private MobileNet() {}

    static NetworkSpec spec(ImageShape input, int classes, Hyper hyper, double alpha) {
        NeuralNetConfiguration.ListBuilder list = hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").stride(2, 2).nOut(thin(32, alpha))
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .layer(bnRelu("conv1_bn"));
        for (int i = 0; i < BLOCKS.length; i++) {
            String name = "conv_dw_" + (i + 1);
            int stride = BLOCKS[i][1];
            list.layer(new DepthwiseConvolution2D.Builder(3, 3).name(name).stride(stride, stride)
                            .depthMultiplier(1).hasBias(false).activation(Activation.IDENTITY).build())
                    .layer(bnRelu(name + "_bn"))
                    .layer(new ConvolutionLayer.Builder(1, 1).name("conv_pw_" + (i + 1)).nOut(thin(BLOCKS[i][0], alpha))
                            .hasBias(false).activation(Activation.IDENTITY).build())
                    .layer(bnRelu("conv_pw_" + (i + 1) + "_bn"));
        }
        return NetworkSpec.of(hyper.layout(list
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("avgpool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .dropOut(hyper.keepProbability(0)).build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels())))
                .build());
    }

    private static int thin(int filters, double alpha) {
        return Math.max(8, (int) Math.round(filters * alpha));
    }

    private static BatchNormalization bnRelu(String name) {
        return new BatchNormalization.Builder().name(name).activation(Activation.RELU).build();
    }
}
