package io.sparkcnn.jobs.inference;

import io.sparkcnn.jobs.source.SampleImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.architectures.Architectures;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.image.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature maps of a graph network (ResNet-20, residual blocks), where DL4J's activations come by vertex name. */
class VisualizerTest {
    @Test
    void aComputationGraphGetsItsFiltersAndAPictureForEveryConvolution(@TempDir Path tmp) throws Exception {
        JobConfig job = JobConfig.load(new File("../conf/resnet20-fashion.conf"), List.of());
        NeuralNetwork net = Architectures.build(job, new ImageShape(1, 32, 32), 10).build();
        Preprocess resize = new Preprocess(0, 0, 0, 32, 32, Preprocess.Normalize.SCALE, Preprocess.IMAGENET_MEAN,
                Preprocess.IMAGENET_STD);
        ModelInfo info = new ModelInfo(ModelInfo.FORMAT_VERSION, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8",
                "9"), 1, 32, 32, resize, "resnet20", "test", 42, "idx", "now", "1.0.0-M2");
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 28 * 7 + i / 28 * 13) % 256;
        }

        List<Path> written = new Visualizer(new SavedModel(net, info), tmp,
                new ConsoleReporter(new PrintStream(OutputStream.nullOutputStream())))
                .write(new SampleImages.Sample(new Image(28, 28, 1, pixels), "pattern"));

        assertTrue(net instanceof ComputationGraph);
        int convolutions = ConvLayers.of(net).size();
        assertTrue(convolutions >= 19, "ResNet-20 has 19 3x3 convolutions (and maybe 1x1 shortcuts): " + convolutions);
        assertEquals(2 + convolutions, written.size(), "filters, input, then one picture per convolution");
        // The stem: 16 filters of 3x3, enlarged 16x to 48 px, 4 x 4 with 2 px gaps: 202 x 202.
        BufferedImage filters = ImageIO.read(written.get(0).toFile());
        assertEquals(List.of(202, 202), List.of(filters.getWidth(), filters.getHeight()));
        // The last block's maps: 64 of 8x8 (the cap), 8 x 8 tiles of 48 px: 402 x 402.
        BufferedImage last = ImageIO.read(written.get(written.size() - 1).toFile());
        assertEquals(List.of(402, 402), List.of(last.getWidth(), last.getHeight()));
    }
}
