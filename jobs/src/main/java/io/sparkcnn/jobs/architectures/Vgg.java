package io.sparkcnn.jobs.architectures;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * VGG-16 and VGG-19 (Simonyan and Zisserman 2015, configurations D and E): five blocks of 3x3 convolutions
 * (stride 1, pad 1) with 64, 128, 256, 512 and 512 filters, each closed by a 2x2/2 max pool, then FC 4096 ->
 * FC 4096 -> softmax with dropout 0.5; 138,357,544 parameters for VGG-16 on 224x224x3 with 1,000 classes.
 * Built here rather than taken from DL4J's zoo so that the job's input size, regularisers and dropout apply.
 */
final class Vgg {
    private static final int[] FILTERS = {64, 128, 256, 512, 512};

    private Vgg() {}

    static NetworkSpec spec(ImageShape input, int classes, Hyper hyper, int depth) {
        int[] convsPerBlock = switch (depth) {
            case 16 -> new int[] {2, 2, 3, 3, 3};
            case 19 -> new int[] {2, 2, 4, 4, 4};
            default -> throw new IllegalArgumentException("VGG comes in depths 16 and 19, not " + depth);
        };
        double keep = hyper.keepProbability(0.5);
        NeuralNetConfiguration.ListBuilder list = hyper.base(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU)
                .list();
        for (int block = 0; block < FILTERS.length; block++) {
            for (int i = 0; i < convsPerBlock[block]; i++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).name("conv" + (block + 1) + "_" + (i + 1))
                        .nOut(FILTERS[block]).build());
            }
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool" + (block + 1))
                    .kernelSize(2, 2).stride(2, 2).build());
        }
        return NetworkSpec.of(hyper.layout(list
                .layer(new DenseLayer.Builder().name("fc6").nOut(4096).build())
                .layer(new DenseLayer.Builder().name("fc7").nOut(4096).dropOut(keep).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc8").nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).dropOut(keep).build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels())))
                .build());
    }
}
