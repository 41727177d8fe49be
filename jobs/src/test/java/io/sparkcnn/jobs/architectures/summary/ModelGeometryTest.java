package io.sparkcnn.jobs.architectures.summary;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.junit.jupiter.api.Test;

/** Geometries that cannot work stop the summary with the layer and the numbers, before DL4J's own checks. */
class ModelGeometryTest {

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void aKernelLargerThanItsInputNamesTheLayerAndTheSizes() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(11, 11).name("big").stride(4, 4).nOut(8).build())
                .build();

        ModelGeometryException e = assertThrows(ModelGeometryException.class,
                () -> ModelSummary.of(conf, InputType.convolutional(8, 8, 3)));

        assertMentions(e.getMessage(), "layer 0 'big'", "kernel 11x11", "stride 4", "padding 0", "8x8x3 input",
                "larger than the padded input height 8", "(8 - 11 + 2*0)/4 + 1", "not positive");
    }

    @Test
    void aStrideThatLeavesAFractionUnderStrictModeNamesTheLayerAndTheFraction() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .convolutionMode(ConvolutionMode.Strict)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("ok").padding(1, 1).nOut(4).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("strided").stride(2, 2).nOut(4).build())
                .build();

        ModelGeometryException e = assertThrows(ModelGeometryException.class,
                () -> ModelSummary.of(conf, InputType.convolutional(32, 32, 3)));

        assertMentions(e.getMessage(), "layer 1 'strided'", "kernel 5x5", "stride 2", "32x32x4 input", "Strict",
                "(32 - 5 + 2*0)/2 + 1 = 14.5", "not an integer");
    }

    @Test
    void theSameStrideTruncatesWithoutComplaintOutsideStrictMode() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("strided").stride(2, 2).nOut(4).build())
                .build();

        Volume out = ModelSummary.of(conf, InputType.convolutional(32, 32, 3)).row("strided").output();

        assertTrue(out.equals(new Volume(14, 14, 4)), out::toString);
    }

    @Test
    void aWindowThatShrinksTheMapToNothingNamesTheLayerAndTheSize() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).build())
                .build();

        ModelGeometryException e = assertThrows(ModelGeometryException.class,
                () -> ModelSummary.of(conf, InputType.convolutional(4, 4, 1)));

        assertMentions(e.getMessage(), "layer 1 'conv'", "2x2x1 input", "(2 - 3 + 2*0)/1 + 1 = 0", "not positive");
    }

    @Test
    void croppingAwayTheWholeImageIsANonPositiveSize() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new Cropping2D.Builder(3, 3).name("crop").build())
                .build();

        ModelGeometryException e = assertThrows(ModelGeometryException.class,
                () -> ModelSummary.of(conf, InputType.convolutional(4, 4, 1)));

        assertMentions(e.getMessage(), "layer 0 'crop'", "4x4x1 input", "cropping 3,3,3,3", "-2x-2", "positive");
    }

    @Test
    void anInputThatDisagreesWithTheBuiltNInNamesBoth() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(20).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();

        ModelGeometryException e = assertThrows(ModelGeometryException.class,
                () -> ModelSummary.of(conf, InputType.convolutional(28, 28, 3)));

        assertMentions(e.getMessage(), "layer 0 'conv1'", "nIn=1", "28x28x3", "3 channels");
    }

    @Test
    void theSummaryStopsWhereDl4jsOwnShapeArithmeticLetsAnEmptyMapThrough() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(11, 11).name("big").nOut(8).build())
                .build();

        InputType.InputTypeConvolutional dl4j = (InputType.InputTypeConvolutional)
                conf.getLayerActivationTypes(InputType.convolutional(8, 8, 3)).get(0);
        assertTrue(dl4j.getHeight() < 1, dl4j::toString);
        assertThrows(ModelGeometryException.class, () -> ModelSummary.of(conf, InputType.convolutional(8, 8, 3)));
    }
}
