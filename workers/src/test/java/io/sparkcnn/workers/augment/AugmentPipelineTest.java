package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AugmentPipelineTest {
    private static final Image IMAGE = TestImages.noisy(16, 16, 3, 21);

    /** Every type with its defaults, sized for the 16x16 test image, rotate90 always turning. */
    private static Map<String, Object> spec(String type, double p) {
        Map<String, Object> spec = new HashMap<>(Map.of("type", type, "p", p));
        switch (type) {
            case "random-resized-crop" -> spec.putAll(Map.of("height", 16, "width", 16));
            case "rotate90" -> spec.put("turns", List.of(1, 3));
            case "cutout" -> spec.putAll(Map.of("height", 4, "width", 4));
            default -> { }
        }
        return spec;
    }

    @Test
    void everyTypeIsTheIdentityAtPZero() {
        for (String type : AugmentRegistry.types()) {
            AugmentPipeline pipeline = AugmentRegistry.pipeline(List.of(spec(type, 0)));
            for (int record = 0; record < 5; record++) {
                Image out = pipeline.apply(IMAGE, 1, 0, record);
                assertArrayEquals(IMAGE.pixels(), out.pixels(), 1e-3f, type);
            }
        }
    }

    @Test
    void everyTypeChangesTheImageEveryTimeAtPOne() {
        for (String type : AugmentRegistry.types()) {
            AugmentPipeline pipeline = AugmentRegistry.pipeline(List.of(spec(type, 1)));
            for (int record = 0; record < 5; record++) {
                Image out = pipeline.apply(IMAGE, 1, 0, record);
                assertEquals(16, out.height(), type);
                assertEquals(16, out.width(), type);
                assertTrue(GeometryTest.maxDifference(IMAGE, out) > 0.5, type + " changed record " + record);
            }
        }
    }

    @Test
    void aHalfProbabilityAppliesAboutHalfTheTime() {
        AugmentPipeline flips = AugmentPipeline.of(new HorizontalFlip(0.5));
        int flipped = 0;
        for (int record = 0; record < 400; record++) {
            flipped += Arrays.equals(IMAGE.pixels(), flips.apply(IMAGE, 3, 0, record).pixels()) ? 0 : 1;
        }
        assertTrue(flipped > 150 && flipped < 250, flipped + " of 400");
    }

    @Test
    void everyStepKeepsTheSizeItPromises() {
        Image wide = TestImages.noisy(12, 20, 3, 2);
        for (String type : AugmentRegistry.types()) {
            for (double p : new double[] {0, 1}) {
                Map<String, Object> spec = spec(type, p);
                int[] expected = {12, 20};
                switch (type) {
                    case "random-resized-crop", "pad-crop" -> {
                        spec.putAll(Map.of("height", 9, "width", 14));
                        expected = new int[] {9, 14};
                    }
                    case "rotate90" -> expected = p == 1 ? new int[] {20, 12} : expected;
                    default -> { }
                }
                Image out = AugmentRegistry.augmentation(spec, 0).apply(wide, new java.util.SplittableRandom(4));
                if (p == 0) {
                    out = AugmentRegistry.augmentation(spec, 0).skip(wide);
                }
                assertArrayEquals(new int[] {expected[0], expected[1], 3}, new int[] {out.height(), out.width(),
                        out.channels()}, type + " p=" + p);
            }
        }
    }

    @Test
    void theSameSeedEpochAndRecordGiveTheSameImage() {
        AugmentPipeline pipeline = full();

        Image a = pipeline.apply(IMAGE, 7, 2, 99);
        Image b = pipeline.apply(IMAGE, 7, 2, 99);

        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(Arrays.equals(IMAGE.pixels(), a.pixels()));
    }

    @Test
    void anotherEpochRecordOrJobSeedGivesAnotherImage() {
        AugmentPipeline pipeline = full();
        float[] base = pipeline.apply(IMAGE, 7, 2, 99).pixels();

        assertFalse(Arrays.equals(base, pipeline.apply(IMAGE, 7, 3, 99).pixels()), "epoch");
        assertFalse(Arrays.equals(base, pipeline.apply(IMAGE, 7, 2, 100).pixels()), "record");
        assertFalse(Arrays.equals(base, pipeline.apply(IMAGE, 8, 2, 99).pixels()), "job seed");
    }

    @Test
    void aStepsDrawsDoNotDependOnWhetherAnEarlierStepApplied() {
        // Noise of sigma 0 changes nothing but draws one Gaussian per value when applied, none when skipped.
        Translate translate = new Translate(1, 3, 3, Fill.reflect());
        Image afterApplied = AugmentPipeline.of(new GaussianNoise(1, 0), translate).apply(IMAGE, 5, 1, 1);
        Image afterSkipped = AugmentPipeline.of(new GaussianNoise(0, 0), translate).apply(IMAGE, 5, 1, 1);

        assertArrayEquals(afterSkipped.pixels(), afterApplied.pixels());
        assertFalse(Arrays.equals(IMAGE.pixels(), afterApplied.pixels()), "the translation was not the identity");
    }

    @Test
    void thePipelineSurvivesJavaSerialisationAndGivesTheSameImages() throws Exception {
        AugmentPipeline pipeline = full();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(pipeline);
        }
        AugmentPipeline copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (AugmentPipeline) in.readObject();
        }

        assertEquals(pipeline, copy);
        assertArrayEquals(pipeline.apply(IMAGE, 1, 1, 1).pixels(), copy.apply(IMAGE, 1, 1, 1).pixels());
    }

    @Test
    void anEmptyPipelinePassesTheImageThrough() {
        assertSame(IMAGE, AugmentPipeline.NONE.apply(IMAGE, 1, 2, 3));
    }

    @Test
    void channelRequirementsFailBeforeWorkNamingTheStep() {
        AugmentPipeline pipeline = AugmentRegistry.pipeline(List.of(Map.of("type", "hflip"),
                Map.of("type", "pca-lighting")));

        pipeline.requireChannels(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.requireChannels(1));
        assertTrue(e.getMessage().startsWith("augment[1]: pca-lighting needs 3-channel"), e.getMessage());
    }

    private static AugmentPipeline full() {
        return AugmentRegistry.pipeline(List.of(
                Map.of("type", "pad-crop", "padding", 2),
                Map.of("type", "hflip"),
                Map.of("type", "rotate", "min-degrees", -5, "max-degrees", 5),
                Map.of("type", "color-jitter", "p", 0.8),
                Map.of("type", "noise", "sigma", 3.0),
                Map.of("type", "cutout", "height", 3, "width", 3)));
    }
}
