package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkcnn.workers.train.Networks;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Test-time views of real minibatches, and the averaged softmax of a real DL4J network over them. */
class TestTimeAugmentationTest {

    /** A small convolutional network with a 10-way softmax, randomly initialised from a seed. */
    private static MultiLayerNetwork network(int channels, int height, int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(height, width, channels)).build());
        net.init();
        return net;
    }

    private static INDArray batch(long seed, int n, int c, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, c, h, w);
    }

    /** The batch mirrored left to right, by ND4J indexing, column by column. */
    private static INDArray mirrored(INDArray x) {
        long w = x.size(3);
        INDArray out = Nd4j.create(DataType.FLOAT, x.shape());
        for (long col = 0; col < w; col++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(col))
                    .assign(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.point(w - 1 - col)));
        }
        return out;
    }

    @Test
    void flipGivesTheInputAndItsMirror() {
        INDArray x = batch(1, 3, 2, 28, 28);

        List<INDArray> views = TestTimeAugmentation.FLIP.views(x);

        assertEquals(2, views.size());
        assertEquals(x, views.get(0));
        assertEquals(mirrored(x), views.get(1));
    }

    @Test
    void flipAveragesTheSoftmaxOfTheImageAndOfItsMirror() {
        MultiLayerNetwork net = network(1, 28, 28);
        INDArray x = batch(2, 8, 1, 28, 28);
        INDArray plain = Networks.output(net, x).dup();
        INDArray mirror = Networks.output(net, mirrored(x)).dup();

        INDArray averaged = TestTimeAugmentation.FLIP.averaged(x, v -> Networks.output(net, v));

        assertArrayEquals(plain.add(mirror).div(2).toFloatMatrix(), averaged.toFloatMatrix());
        assertFalse(plain.equals(averaged), "the mirror changes the network's answer");
        assertArrayEquals(new long[] {8, 10}, averaged.shape());
        INDArray rowSums = averaged.sum(1);
        for (int i = 0; i < 8; i++) {
            assertEquals(1, rowSums.getDouble(i), 1e-5, "still a distribution");
        }
    }

    @Test
    void noneIsTheNetworksOwnOutput() {
        MultiLayerNetwork net = network(1, 28, 28);
        INDArray x = batch(3, 4, 1, 28, 28);

        assertEquals(Networks.output(net, x), TestTimeAugmentation.NONE.averaged(x, v -> Networks.output(net, v)));
        assertEquals(1, TestTimeAugmentation.NONE.views(x).size());
    }

    @Test
    void tenCropGivesTenViewsOfTheInputsShapeFromAnImageEnlargedBy256Over224() {
        assertEquals(32, TestTimeAugmentation.enlarged(28), "Fashion-MNIST's 28x28 becomes 32x32");
        assertEquals(256, TestTimeAugmentation.enlarged(224), "ImageNet's 224 crops come from 256");
        for (int[] shape : new int[][] {{5, 1, 28, 28}, {2, 3, 20, 24}}) {
            INDArray x = batch(4, shape[0], shape[1], shape[2], shape[3]);

            List<INDArray> views = TestTimeAugmentation.TEN_CROP.views(x);

            assertEquals(10, views.size());
            for (INDArray v : views) {
                assertArrayEquals(x.shape(), v.shape());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(mirrored(views.get(i)), views.get(i + 5), "view " + (i + 5) + " mirrors view " + i);
            }
            assertEquals(10, views.stream().distinct().count(), "ten different views");
        }
    }

    @Test
    void tenCropsCornersAndCentreSitWhereTheGeometrySays() {
        // A ramp f(y, x) = x over 28 columns: bilinear enlargement to 32 maps output column X to source column
        // (X + 0.5) * 28 / 32 - 0.5, clamped to [0, 27]; the crops start at columns 0 (left), 4 (right), 2 (centre).
        INDArray x = Nd4j.create(DataType.FLOAT, 1, 1, 28, 28);
        for (int col = 0; col < 28; col++) {
            x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(col)).assign(col);
        }

        List<INDArray> views = TestTimeAugmentation.TEN_CROP.views(x);

        double scale = 28.0 / 32;
        INDArray topLeft = views.get(0);
        INDArray topRight = views.get(1);
        INDArray centre = views.get(4);
        assertEquals(0, topLeft.getDouble(0, 0, 0, 0), 1e-6, "column 0 clamps to the edge");
        assertEquals(10.5 * scale - 0.5, topLeft.getDouble(0, 0, 5, 10), 1e-5);
        assertEquals(27, topRight.getDouble(0, 0, 27, 27), 1e-6, "the last column clamps to the edge");
        assertEquals((4 + 0.5) * scale - 0.5, topRight.getDouble(0, 0, 3, 0), 1e-5);
        assertEquals((2 + 0.5) * scale - 0.5, centre.getDouble(0, 0, 0, 0), 1e-5);
        assertEquals(topLeft, views.get(2), "a ramp in x: the bottom crops equal the top ones");
        assertEquals(topLeft.getDouble(0, 0, 0, 27), views.get(5).getDouble(0, 0, 0, 0), 0,
                "the mirrored top-left starts at its right end");
    }

    @Test
    void aConstantImageLooksTheSameInEveryView() {
        INDArray x = Nd4j.valueArrayOf(new long[] {2, 3, 28, 28}, -0.75f);

        for (INDArray v : TestTimeAugmentation.TEN_CROP.views(x)) {
            assertEquals(x, v, "resizing is a weighted mean of neighbours: a normalised constant stays constant");
        }
    }

    @Test
    void tenCropAveragesTheSoftmaxOverItsTenViews() {
        MultiLayerNetwork net = network(3, 20, 24);
        INDArray x = batch(6, 4, 3, 20, 24);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, 4, 10);
        for (INDArray v : TestTimeAugmentation.TEN_CROP.views(x)) {
            sum.addi(Networks.output(net, v));
        }

        INDArray averaged = TestTimeAugmentation.TEN_CROP.averaged(x, v -> Networks.output(net, v));

        assertArrayEquals(sum.div(10).toFloatMatrix(), averaged.toFloatMatrix());
    }

    @Test
    void aBatchThatIsNotNchwIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TestTimeAugmentation.FLIP.views(Nd4j.ones(4, 784)));
    }

    @Test
    void theChoicesAreSpeltAsTheConfigSpellsThem() {
        assertEquals(List.of("none", "flip", "ten-crop"), java.util.Arrays.stream(TestTimeAugmentation.values())
                .map(TestTimeAugmentation::word).toList());
    }
}
