package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LeNet-5 in its Caffe form (LeCun et al. 1998; Caffe's examples/mnist/lenet.prototxt): CONV 5x5x20 -> MAX POOL
 * 2x2/2 -> CONV 5x5x50 -> MAX POOL 2x2/2 -> FC 500 ReLU -> FC softmax, with valid (unpadded) convolutions, so
 * a 28x28 input gives 24, 12, 8 and 4 pixel maps and 431,080 parameters for 10 classes.
 *
 * <p>Not DL4J's zoo {@code LeNet}: that one pads every convolution ("Same" mode), which turns the same layers
 * into 1.2 million parameters and about twice the multiply-adds of the published network.
 */
public final class LeNet5 {
    private LeNet5() {}

    public static MultiLayerConfiguration configuration(ImageShape input, int classes, IUpdater updater, long seed) {
        return configuration(input, classes, Hyper.of(seed, updater));
    }

    /**
     * With {@code hyper.channelsLast()} the convolution and pooling layers run NHWC behind a
     * {@link io.sparkcnn.workers.train.ChannelsLastInput} (the network still takes NCHW minibatches): the same
     * network and arithmetic, faster with oneDNN.
     */
    public static MultiLayerConfiguration configuration(ImageShape input, int classes, Hyper hyper) {
        NeuralNetConfiguration.ListBuilder layers = hyper.base(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(20).activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(50).activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(classes)
                        .activation(Activation.SOFTMAX).dropOut(hyper.keepProbability(0)).build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()));
        return hyper.layout(layers).build();
    }

    static NetworkSpec spec(ImageShape input, int classes, Hyper hyper) {
        return NetworkSpec.of(configuration(input, classes, hyper));
    }
}
