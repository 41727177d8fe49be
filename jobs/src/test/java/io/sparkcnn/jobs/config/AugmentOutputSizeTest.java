package io.sparkcnn.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Augmentation gives the network's input size: a size default follows the job, and a step that would give
 * another size is refused when the config loads (issue 18, item 2).
 */
class AugmentOutputSizeTest {
    /** ResNet-20 on Fashion-MNIST: preprocessing resizes every image to the network's 32x32 input. */
    private static final File RESNET20 = new File("../conf/resnet20-fashion.conf");

    @Test
    void aRandomResizedCropWithoutASizeGivesTheNetworksInput() {
        JobConfig job = JobConfig.load(RESNET20, List.of("data.augment=[{type = random-resized-crop}]"));
        Image view = job.data().preprocess().geometry(gradient(28, 28));

        for (int epoch = 1; epoch <= 3; epoch++) {
            Image variant = job.data().augment().apply(view, job.seed(), epoch, 0);
            assertEquals(32, variant.height(), "epoch " + epoch);
            assertEquals(32, variant.width(), "epoch " + epoch);
        }
    }

    @Test
    void aCropToAnotherSizeIsRefusedAtLoadNamingTheStepAndBothSizes() {
        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(RESNET20, List.of(
                "data.augment=[{type = hflip}, {type = random-resized-crop, height = 224, width = 224}]")));

        for (String part : List.of(RESNET20.toString(), "data.augment", "augment[1]", "random-resized-crop",
                "224x224", "32x32")) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void aPadCropToAnotherSizeIsRefusedToo() {
        ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(RESNET20, List.of(
                "data.augment=[{type = pad-crop, padding = 4, height = 28, width = 28}]")));

        for (String part : List.of("augment[0]", "pad-crop", "28x28", "32x32")) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void aCropToTheNetworksInputIsAccepted() {
        JobConfig job = JobConfig.load(RESNET20, List.of(
                "data.augment=[{type = random-resized-crop, height = 32, width = 32}]"));

        assertEquals(1, job.data().augment().steps().size());
    }

    /** A grey ramp, so that crops and resizes have content to move. */
    private static Image gradient(int height, int width) {
        float[] pixels = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = (x + y) * 255f / (height + width);
            }
        }
        return new Image(height, width, 1, pixels);
    }
}
