package io.sparkcnn.jobs.architectures.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.Test;

/** The DL4J zoo's large networks, from their configurations only: no weights are allocated. */
class ZooModelSummaryTest {
    private static final InputType IMAGENET = InputType.convolutional(224, 224, 3);

    @Test
    void vgg16Has138357544ParametersAndItsLastBlockSees212Pixels() {
        ModelSummary summary = ModelSummary.of(VGG16.builder().numClasses(1000).build().conf(), IMAGENET);

        assertEquals(138_357_544L, summary.totalParameters());
        // Vertex "16" is conv5_3 and "17" is pool5, the end of the last convolution block.
        assertEquals(196, summary.row("16").receptiveField().height());
        assertEquals(212, summary.row("17").receptiveField().height());
        assertEquals(new Volume(7, 7, 512), summary.row("17").output());
        assertEquals(32, summary.row("17").receptiveField().jumpHeight());
    }

    @Test
    void resNet50CountsBatchNormRunningStatisticsAndConvolutionBiasesAsParameters() {
        ModelSummary summary =
                ModelSummary.of(ResNet50.builder().numClasses(1000).build().graphBuilder().build(), IMAGENET);

        // DL4J's count equals Keras's "total params" for ResNet50; the 25,557,032 usually quoted (torchvision)
        // has no convolution biases and keeps batch norm's running mean and variance out of the parameters.
        assertEquals(25_636_712L, summary.totalParameters());
        long batchNormChannels = summary.rows().stream().filter(r -> r.type().equals("BatchNorm"))
                .mapToLong(r -> r.parameters() / 4).sum();
        long convolutionBiases = summary.rows().stream().filter(r -> r.type().equals("Conv"))
                .mapToLong(r -> r.output().depth()).sum();
        assertEquals(26_560, batchNormChannels);
        assertEquals(26_560, convolutionBiases);
        assertEquals(25_557_032L, summary.totalParameters() - 2 * batchNormChannels - convolutionBiases);
    }
}
