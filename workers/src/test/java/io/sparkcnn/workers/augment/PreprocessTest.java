package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessTest {
    private static Preprocess geometry(int shorterSide, int cropHeight, int cropWidth, int height, int width) {
        return new Preprocess(shorterSide, cropHeight, cropWidth, height, width, Preprocess.Normalize.NONE,
                Preprocess.IMAGENET_MEAN, Preprocess.IMAGENET_STD);
    }

    @Test
    void theShorterSideGetsTheRequestedLengthAndTheAspectRatioStays() {
        Image wide = geometry(10, 0, 0, 0, 0).apply(TestImages.noisy(20, 30, 3, 1));
        Image tall = geometry(10, 0, 0, 0, 0).apply(TestImages.noisy(30, 20, 1, 1));

        assertArrayEquals(new int[] {10, 15, 3}, new int[] {wide.height(), wide.width(), wide.channels()});
        assertArrayEquals(new int[] {15, 10, 1}, new int[] {tall.height(), tall.width(), tall.channels()});
    }

    @Test
    void halvingAveragesBlocksOfFour() {
        Image in = TestImages.coded(4, 4, 1);

        Image out = geometry(2, 0, 0, 0, 0).apply(in);

        // Area interpolation: output (0, 0) is the mean of input (0..1, 0..1) = (0 + 10 + 1000 + 1010) / 4,
        // output (1, 1) that of input (2..3, 2..3) = (2020 + 2030 + 3020 + 3030) / 4.
        assertEquals(505, out.get(0, 0, 0), 1e-2);
        assertEquals(2525, out.get(1, 1, 0), 1e-2);
    }

    @Test
    void theCentreCropTakesTheMiddleWindow() {
        Image in = TestImages.coded(6, 8, 2);

        Image out = geometry(0, 4, 4, 0, 0).apply(in);

        assertEquals(4, out.height());
        assertEquals(4, out.width());
        assertEquals(in.get(1, 2, 0), out.get(0, 0, 0));
        assertEquals(in.get(4, 5, 1), out.get(3, 3, 1));
    }

    @Test
    void theFinalResizeGivesExactlyTheSize() {
        Image out = geometry(0, 0, 0, 7, 9).apply(TestImages.noisy(20, 15, 3, 2));

        assertArrayEquals(new int[] {7, 9}, new int[] {out.height(), out.width()});
    }

    @Test
    void evaluationIsShorterSideThenCentreCrop() {
        Image in = TestImages.noisy(40, 60, 3, 3);

        Image out = Preprocess.evaluation(20, 16, Preprocess.Normalize.NONE).apply(in);

        Image resized = OpenCv.resize(in, 20, 30);
        assertArrayEquals(Pixels.crop(resized, 2, 7, 16, 16).pixels(), out.pixels());
    }

    @Test
    void aCropLargerThanTheImageFailsNamingTheKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Preprocess.evaluation(20, 24, Preprocess.Normalize.NONE).apply(TestImages.noisy(30, 40, 1, 1)));
        assertTrue(e.getMessage().contains("crop-width x crop-height") && e.getMessage().contains("24x24") && e.getMessage().contains("27x20"),
                e.getMessage());
    }

    @Test
    void scalingDividesBy255() {
        Image in = TestImages.constant(1, 2, 1, 51);
        in.set(0, 1, 0, 255);

        Image out = new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.SCALE, List.of(0.0), List.of(1.0)).apply(in);

        assertArrayEquals(new float[] {0.2f, 1f}, out.pixels(), 1e-6f);
    }

    @Test
    void standardisingUsesEachChannelsMeanAndStd() {
        Image in = TestImages.constant(2, 2, 3, 0);
        for (int i = 0; i < 12; i += 3) {
            in.pixels()[i] = 110;
            in.pixels()[i + 1] = 20;
            in.pixels()[i + 2] = 200;
        }
        Preprocess p = new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.STANDARDIZE, List.of(100.0, 50.0, 200.0),
                List.of(5.0, 10.0, 20.0));

        Image out = p.apply(in);

        for (int i = 0; i < 12; i += 3) {
            assertArrayEquals(new float[] {2f, -3f, 0f}, java.util.Arrays.copyOfRange(out.pixels(), i, i + 3), 1e-6f);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.apply(TestImages.constant(2, 2, 1, 0)));
        assertTrue(e.getMessage().contains("1 channels"), e.getMessage());
    }

    @Test
    void trainingTransformsNormaliseAfterAugmenting() {
        Preprocess scale = new Preprocess(0, 0, 0, 0, 0, Preprocess.Normalize.SCALE, List.of(0.0), List.of(1.0));
        ImageTransforms train = new ImageTransforms(scale, AugmentPipeline.of(new GaussianNoise(1, 40)));

        Image out = train.apply(TestImages.constant(8, 8, 1, 250), 1, 0, 0);

        float max = 0;
        for (float v : out.pixels()) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, "noise was clamped at 255 before scaling");
    }
}
