package io.sparkcnn.workers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class GemmBatchNormTest {
    @BeforeAll
    static void nativeBackend() {
        NativeBackend.select();
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void theChannelStatisticsAreTheReductionsUpToRounding(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, format == CNN2DFormat.NHWC ? new long[] {5, 6, 7, 3}
                : new long[] {5, 3, 6, 7}).muli(4).addi(1.5);
        int[] axes = format == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        INDArray mean = Nd4j.create(DataType.FLOAT, 3);
        INDArray variance = Nd4j.create(DataType.FLOAT, 3);

        GemmBatchNorm.channelStats(x, format, mean, variance, Nd4j.ones(DataType.FLOAT, 300));

        assertArrayEquals(x.mean(axes).toFloatVector(), mean.toFloatVector(), 1e-5f);
        assertArrayEquals(x.var(false, axes).toFloatVector(), variance.toFloatVector(), 1e-4f);
    }

    /** A conv-BN-ReLU network's steps are DL4J's own with the GEMM passes, in either layout (backward: NHWC). */
    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void aNetworksTrainingStepsAreDl4jsOwnWithTheGemmPasses(CNN2DFormat format)
            throws ReflectiveOperationException {
        MultiLayerNetwork own = network(format);
        MultiLayerNetwork fast = network(format);
        Field helper = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
        helper.setAccessible(true);
        assertNotNull(helper.get(own.getLayer(1)), "DL4J's oneDNN helpers are off in this JVM (NativeBackend.select"
                + " ran after ND4J loaded, or the CPU has no AVX2): this test needs them");

        GemmBatchNorm.install(fast);

        assertEquals(GemmBatchNorm.Helper.class, helper.get(fast.getLayer(1)).getClass());
        Nd4j.getRandom().setSeed(11);
        INDArray features = format == CNN2DFormat.NHWC ? Nd4j.rand(DataType.FLOAT, 8, 9, 9, 2)
                : Nd4j.rand(DataType.FLOAT, 8, 2, 9, 9);
        DataSet batch = new DataSet(features, Nd4j.eye(4).repeat(0, 2).castTo(DataType.FLOAT));
        for (int step = 0; step < 3; step++) {
            own.fit(batch);
            fast.fit(batch);
        }
        // Parameters, and batch norm's running mean and variance, which DL4J keeps among them.
        assertArrayEquals(own.params().toFloatVector(), fast.params().toFloatVector(), 1e-5f);
        assertArrayEquals(own.output(features).ravel().toFloatVector(), fast.output(features).ravel().toFloatVector(),
                1e-5f);
    }

    private static MultiLayerNetwork network(CNN2DFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(false).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 2, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
