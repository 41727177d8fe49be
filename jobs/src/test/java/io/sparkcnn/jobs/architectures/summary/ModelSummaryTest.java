package io.sparkcnn.jobs.architectures.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkcnn.jobs.architectures.LeNet5;
import io.sparkcnn.workers.data.ImageShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;

class ModelSummaryTest {

    private static NeuralNetConfiguration.ListBuilder list() {
        return new NeuralNetConfiguration.Builder().seed(1).list();
    }

    private static OutputLayer output(int classes) {
        return new OutputLayer.Builder().nOut(classes).activation(Activation.SOFTMAX).build();
    }

    @Test
    void tenPaddedFiveByFiveFiltersKeepA32x32x3ImageAt32x32x10With760Parameters() {
        MultiLayerConfiguration conf = list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv").stride(1, 1).padding(2, 2).nOut(10).build())
                .layer(output(10))
                .build();

        LayerRow conv = ModelSummary.of(conf, InputType.convolutional(32, 32, 3)).row("conv");

        assertEquals(new Volume(32, 32, 10), conv.output());
        assertEquals(760, conv.parameters());
        assertEquals(5, conv.receptiveField().height());
        assertEquals(5, conv.receptiveField().width());
        assertEquals(List.of("5x5", "1", "2"), List.of(conv.kernel(), conv.stride(), conv.padding()));
    }

    @Test
    void alexNetConv1Gives55x55x96With34944ParametersAndItsMultiplyAddsByHand() {
        MultiLayerConfiguration conf = list()
                .layer(new ConvolutionLayer.Builder(11, 11).name("conv1").stride(4, 4).padding(0, 0).nOut(96).build())
                .setInputType(InputType.convolutional(227, 227, 3))
                .build();

        LayerRow conv1 = ModelSummary.of(conf, InputType.convolutional(227, 227, 3)).row("conv1");

        // (227 - 11 + 0)/4 + 1 = 55; 96 * (11*11*3) weights + 96 biases.
        assertEquals(new Volume(55, 55, 96), conv1.output());
        assertEquals(96 * 11 * 11 * 3 + 96, conv1.parameters());
        assertEquals(34_944, conv1.parameters());
        // Each of the 55*55*96 outputs is a dot product over an 11x11x3 window: 105,415,200.
        assertEquals(55L * 55 * 96 * (11 * 11 * 3), conv1.multiplyAdds());
        assertEquals(105_415_200L, conv1.multiplyAdds());
        assertEquals(55L * 55 * 96 * 4, conv1.activationBytes());
        assertEquals(11, conv1.receptiveField().height());
        assertEquals(4, conv1.receptiveField().jumpHeight());
    }

    @Test
    void leNet5TotalsItsPublished431080ParametersAsTheBuiltNetworkDoes() {
        MultiLayerConfiguration conf = LeNet5.configuration(new ImageShape(1, 28, 28), 10, new Sgd(0.1), 42);

        ModelSummary summary = ModelSummary.of(conf, InputType.convolutional(28, 28, 1));

        assertEquals(431_080, summary.totalParameters());
        assertEquals(List.of(new Volume(28, 28, 1), new Volume(24, 24, 20), new Volume(12, 12, 20),
                new Volume(8, 8, 50), new Volume(4, 4, 50), Volume.vector(500), Volume.vector(10)),
                summary.rows().stream().map(LayerRow::output).toList());
        // conv1 5, pool1 6 (jump 2), conv2 14, pool2 16 (jump 4), fc1 sees 16 + 3*4 = 28: the whole image.
        assertEquals(List.of(1L, 5L, 6L, 14L, 16L, 28L, 28L),
                summary.rows().stream().map(r -> r.receptiveField().height()).toList());
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        assertEquals(network.numParams(), summary.totalParameters());
    }

    @Test
    void totalsAddUpTheRows() {
        ModelSummary summary = ModelSummary.of(
                LeNet5.configuration(new ImageShape(1, 28, 28), 10, new Sgd(0.1), 42), InputType.convolutional(28, 28, 1));

        // conv1 24*24*20*25, conv2 8*8*50*(25*20), fc1 800*500, output 500*10.
        assertEquals(288_000L + 1_600_000 + 400_000 + 5_000, summary.totalMultiplyAdds());
        long elements = 784 + 24 * 24 * 20 + 12 * 12 * 20 + 8 * 8 * 50 + 4 * 4 * 50 + 500 + 10;
        assertEquals(elements * 4, summary.totalActivationBytes());
    }

    @Test
    void depthwiseSeparableAndBatchNormCountWhatDl4jCounts() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().convolutionMode(ConvolutionMode.Same).list()
                .layer(new DepthwiseConvolution2D.Builder(3, 3).name("dw").depthMultiplier(2).build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new SeparableConvolution2D.Builder(3, 3).name("sep").stride(2, 2).nOut(16).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(output(10))
                .build();

        ModelSummary summary = ModelSummary.of(conf, InputType.convolutional(15, 15, 8));

        assertEquals(16 * 9 + 16, summary.row("dw").parameters());
        assertEquals(new Volume(15, 15, 16), summary.row("dw").output());
        assertEquals(4 * 16, summary.row("bn").parameters());
        // depthwise 16 channels x 3x3, pointwise 16 -> 16, 16 biases; Same mode: ceil(15/2) = 8.
        assertEquals(16 * 9 + 16 * 16 + 16, summary.row("sep").parameters());
        assertEquals(new Volume(8, 8, 16), summary.row("sep").output());
        assertEquals(8L * 8 * (16 * 9 + 16 * 16), summary.row("sep").multiplyAdds());
        assertEquals("same", summary.row("sep").padding());
        assertEquals(Volume.vector(16), summary.row("gap").output());
        // dw 3, sep 5 (jump 2), the global pool spans 8 more positions of jump 2: 5 + 7*2.
        assertEquals(19, summary.row("gap").receptiveField().height());
    }

    @Test
    void aGraphWithAConcatAndAResidualAddSumsToWhatTheBuiltGraphReports() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(1, 1).nOut(4).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(5, 5).nOut(4).build(), "in")
                .addVertex("concat", new MergeVertex(), "a", "b")
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "concat")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c", "concat")
                .addLayer("out", output(3), "add")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 2))
                .build();

        ModelSummary summary = ModelSummary.of(conf, InputType.convolutional(6, 6, 2));

        assertEquals(List.of("in", "a", "b", "concat", "c", "add", "out"),
                summary.rows().stream().map(LayerRow::name).toList());
        assertEquals(new Volume(6, 6, 8), summary.row("concat").output());
        assertEquals(5, summary.row("concat").receptiveField().height());
        assertEquals(7, summary.row("add").receptiveField().height());
        assertEquals("Add", summary.row("add").type());
        assertEquals(List.of("c", "concat"), summary.row("add").inputs());
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertEquals(graph.numParams(), summary.totalParameters());
    }
}
