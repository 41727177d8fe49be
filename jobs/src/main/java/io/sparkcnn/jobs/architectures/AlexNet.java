package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * AlexNet as in Krizhevsky, Sutskever and Hinton 2012, for a 227x227x3 input: CONV 11x11/4 96 -> LRN -> MAX POOL
 * 3x3/2 -> CONV 5x5 256 -> LRN -> MAX POOL -> CONV 3x3 384 -> CONV 3x3 384 -> CONV 3x3 256 -> MAX POOL -> FC 4096
 * -> FC 4096 -> softmax, ReLU everywhere, local response normalisation (k=2, n=5, alpha=1e-4, beta=0.75) and
 * dropout 0.5 on the two hidden FC layers' outputs.
 *
 * <p>The one-tower form: the paper split conv2, conv4 and conv5 into two groups for its two GPUs, which DL4J's
 * convolution layer cannot express, so those layers see all their input channels (62.4 million parameters for
 * 1,000 classes instead of the grouped 61.0 million). Not DL4J's zoo {@code AlexNet}, which changes the
 * geometry (different padding and strides) and adds batch normalisation-era choices.
 */
final class AlexNet {
    private AlexNet() {}

    static NetworkSpec spec(ImageShape input, int classes, Hyper hyper) {
        double keep = hyper.keepProbability(0.5);
        return NetworkSpec.of(hyper.layout(hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .activation(Activation.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(11, 11).name("conv1").stride(4, 4).nOut(96).build())
                .layer(lrn("norm1"))
                .layer(maxPool("pool1"))
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").padding(2, 2).nOut(256).build())
                .layer(lrn("norm2"))
                .layer(maxPool("pool2"))
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv3").padding(1, 1).nOut(384).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv4").padding(1, 1).nOut(384).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv5").padding(1, 1).nOut(256).build())
                .layer(maxPool("pool5"))
                .layer(new DenseLayer.Builder().name("fc6").nOut(4096).build())
                .layer(new DenseLayer.Builder().name("fc7").nOut(4096).dropOut(keep).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc8").nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).dropOut(keep).build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels())))
                .build());
    }

    private static LocalResponseNormalization lrn(String name) {
        return new LocalResponseNormalization.Builder().name(name).k(2).n(5).alpha(1e-4).beta(0.75).build();
    }

    private static SubsamplingLayer maxPool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name).kernelSize(3, 3)
                .stride(2, 2).build();
    }
}
