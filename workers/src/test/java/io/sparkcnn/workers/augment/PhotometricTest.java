package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhotometricTest {
    @Test
    void noiseHasTheRequestedStandardDeviationAndZeroMean() {
        Image grey = TestImages.constant(64, 64, 3, 128);

        Image out = new GaussianNoise(1, 10).apply(grey, new SplittableRandom(42));

        double sum = 0;
        double squares = 0;
        for (float v : out.pixels()) {
            sum += v - 128;
            squares += (v - 128) * (v - 128);
        }
        int n = out.pixels().length;
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        // 12288 samples: the variance estimate's standard error is about 1.3 %, the mean's about 0.09.
        assertEquals(100, variance, 10);
        assertEquals(0, mean, 0.5);
    }

    @Test
    void noiseIsClampedToTheByteRange() {
        Image extremes = TestImages.constant(16, 16, 1, 0);
        java.util.Arrays.fill(extremes.pixels(), 128, 256, 255);

        Image out = new GaussianNoise(1, 50).apply(extremes, new SplittableRandom(1));

        for (float v : out.pixels()) {
            assertTrue(v >= 0 && v <= 255, "value " + v);
        }
    }

    @Test
    void brightnessFactorsStayInRangeAndCoverIt() {
        Image grey = TestImages.constant(2, 2, 3, 100);
        ColorJitter jitter = new ColorJitter(1, 0.2, 0, 0);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int seed = 0; seed < 300; seed++) {
            Image out = jitter.apply(grey, new SplittableRandom(seed));
            float v = out.get(0, 0, 0);
            assertArrayEquals(TestImages.constant(2, 2, 3, v).pixels(), out.pixels(), "one factor for the image");
            assertTrue(v >= 80 - 1e-3 && v <= 120 + 1e-3, "factor " + v / 100);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min < 82 && max > 118, "factors spread over 0.8..1.2: " + min / 100 + ".." + max / 100);
    }

    @Test
    void contrastScalesDistancesFromTheMeanGreyWithinRange() {
        Image twoTone = TestImages.constant(2, 2, 1, 100);
        twoTone.set(0, 0, 0, 140);
        twoTone.set(0, 1, 0, 140);
        ColorJitter jitter = new ColorJitter(1, 0, 0.5, 0);
        for (int seed = 0; seed < 50; seed++) {
            Image out = jitter.apply(twoTone, new SplittableRandom(seed));
            float high = out.get(0, 0, 0) - 120;
            float low = out.get(1, 1, 0) - 120;
            assertEquals(-high, low, 1e-3, "the mean 120 stays");
            assertTrue(high >= 10 - 1e-3 && high <= 30 + 1e-3, "factor " + high / 20);
        }
    }

    @Test
    void saturationBlendsEachPixelWithItsGreyAndKeepsGreyPixels() {
        Image in = TestImages.constant(1, 2, 3, 90);
        in.set(0, 1, 0, 200);
        ColorJitter jitter = new ColorJitter(1, 0, 0, 0.5);

        Image out = jitter.apply(in, new SplittableRandom(7));

        assertArrayEquals(new float[] {90, 90, 90}, java.util.Arrays.copyOf(out.pixels(), 3), 1e-3f);
        float grey = 0.299f * 200 + 0.587f * 90 + 0.114f * 90;
        float factor = (out.get(0, 1, 0) - grey) / (200 - grey);
        assertTrue(factor >= 0.5 - 1e-3 && factor <= 1.5 + 1e-3, "factor " + factor);
        assertEquals(grey + (90 - grey) * factor, out.get(0, 1, 1), 1e-2);
        assertThrows(IllegalArgumentException.class, () -> jitter.requireChannels(1));
    }

    @Test
    void pcaLightingMovesEveryPixelAlongTheOnlyEigenvectorWithWeight() {
        for (int j = 0; j < 3; j++) {
            Double[] values = {0.0, 0.0, 0.0};
            values[j] = 0.2;
            PcaLighting lighting = new PcaLighting(1, 0.5, List.of(values), PcaLighting.IMAGENET_EIGENVECTORS);
            Image grey = TestImages.constant(3, 3, 3, 128);

            Image out = lighting.apply(grey, new SplittableRandom(11 + j));

            double[] delta = new double[3];
            for (int c = 0; c < 3; c++) {
                delta[c] = out.get(0, 0, c) - 128;
            }
            double along = 0;
            for (int c = 0; c < 3; c++) {
                along += delta[c] * PcaLighting.IMAGENET_EIGENVECTORS.get(c).get(j);
            }
            assertTrue(Math.abs(along) > 0.5, "the colour moved: " + along);
            for (int c = 0; c < 3; c++) {
                double expected = along * PcaLighting.IMAGENET_EIGENVECTORS.get(c).get(j);
                assertEquals(expected, delta[c], 0.01 * Math.abs(along) + 1e-3, "eigenvector " + j + " channel " + c);
            }
            for (int i = 0; i < out.pixels().length; i++) {
                assertEquals(out.pixels()[i % 3], out.pixels()[i], 1e-4, "the same shift for every pixel");
            }
        }
    }

    @Test
    void pcaLightingWithImageNetDefaultsShiftsByAFewLevels() {
        PcaLighting lighting = new PcaLighting(1, 0.1, PcaLighting.IMAGENET_EIGENVALUES,
                PcaLighting.IMAGENET_EIGENVECTORS);
        double sumSquares = 0;
        int n = 400;
        for (int seed = 0; seed < n; seed++) {
            Image out = lighting.apply(TestImages.constant(1, 1, 3, 128), new SplittableRandom(seed));
            sumSquares += (out.get(0, 0, 0) - 128) * (out.get(0, 0, 0) - 128);
        }
        // Red's variance: 255^2 * 0.01 * sum_j (v_rj * lambda_j)^2, about 4.0 (standard deviation 2 levels).
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            double v = PcaLighting.IMAGENET_EIGENVECTORS.get(0).get(j) * PcaLighting.IMAGENET_EIGENVALUES.get(j);
            expected += 255 * 255 * 0.01 * v * v;
        }
        assertEquals(expected, sumSquares / n, expected * 0.25);
    }

    @Test
    void pcaLightingRefusesImagesThatAreNotRgb() {
        PcaLighting lighting = new PcaLighting(1, 0.1, PcaLighting.IMAGENET_EIGENVALUES,
                PcaLighting.IMAGENET_EIGENVECTORS);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lighting.apply(TestImages.constant(2, 2, 1, 0), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("3-channel"), e.getMessage());
    }

    @Test
    void cutoutZeroesOneRectangleOfTheRequestedSize() {
        Image in = TestImages.constant(12, 10, 3, 50);
        Cutout cutout = new Cutout(1, 1, 4, 3, 0, 0, 1, 1, false, 0);
        for (int seed = 0; seed < 20; seed++) {
            Image out = cutout.apply(in, new SplittableRandom(seed));
            int[] box = zeroBox(out);
            assertEquals(4, box[2] - box[0] + 1, "height");
            assertEquals(3, box[3] - box[1] + 1, "width");
            assertEquals(4 * 3 * 3, count(out, 0), "only the rectangle is zero");
        }
    }

    @Test
    void randomErasingCoversAnAreaFractionInRange() {
        Image in = TestImages.constant(20, 20, 1, 50);
        Cutout erasing = new Cutout(1, 1, 0, 0, 0.1, 0.2, 0.5, 2, false, 0);
        for (int seed = 0; seed < 30; seed++) {
            int zeros = count(erasing.apply(in, new SplittableRandom(seed)), 0);
            // Rounding each side to whole pixels moves the area a little beyond 40..80 pixels.
            assertTrue(zeros >= 30 && zeros <= 95, "erased " + zeros);
        }
    }

    @Test
    void noiseErasingWritesVaryingValues() {
        Image in = TestImages.constant(10, 10, 1, 300);
        Image out = new Cutout(1, 1, 5, 5, 0, 0, 1, 1, true, 0).apply(in, new SplittableRandom(2));

        assertEquals(75, count(out, 300));
        float first = -1;
        boolean varies = false;
        for (float v : out.pixels()) {
            if (v != 300) {
                assertTrue(v >= 0 && v <= 255);
                varies |= first >= 0 && v != first;
                first = v;
            }
        }
        assertTrue(varies);
        assertNotEquals(0, first);
    }

    private static int count(Image image, float value) {
        int n = 0;
        for (float v : image.pixels()) {
            n += v == value ? 1 : 0;
        }
        return n;
    }

    /** top, left, bottom, right of the zero values. */
    private static int[] zeroBox(Image image) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (image.get(y, x, 0) == 0) {
                    box[0] = Math.min(box[0], y);
                    box[1] = Math.min(box[1], x);
                    box[2] = Math.max(box[2], y);
                    box[3] = Math.max(box[3], x);
                }
            }
        }
        return box;
    }
}
