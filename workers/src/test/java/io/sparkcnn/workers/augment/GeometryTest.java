package io.sparkcnn.workers.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.image.Image;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeometryTest {
    private static final Image IMAGE = TestImages.coded(4, 5, 3);

    @Test
    void horizontalFlipMirrorsEveryRow() {
        Image out = new HorizontalFlip(1).apply(IMAGE, new SplittableRandom(1));

        float[] expected = {
            40, 41, 30, 31, 20, 21, 10, 11, 0, 1,
            1040, 1041, 1030, 1031, 1020, 1021, 1010, 1011, 1000, 1001};
        Image twoChannels = TestImages.coded(2, 5, 2);
        assertArrayEquals(expected, new HorizontalFlip(1).apply(twoChannels, new SplittableRandom(1)).pixels());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(IMAGE.get(y, 4 - x, c), out.get(y, x, c));
                }
            }
        }
    }

    @Test
    void verticalFlipMirrorsEveryColumn() {
        Image out = new VerticalFlip(1).apply(IMAGE, new SplittableRandom(1));

        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(IMAGE.get(3 - y, x, c), out.get(y, x, c));
                }
            }
        }
    }

    @Test
    void aQuarterTurnMovesEveryPixelCounterClockwiseAndSwapsTheSize() {
        Image out = Rotate90.rotate(IMAGE, 1);

        assertEquals(5, out.height());
        assertEquals(4, out.width());
        // The top-right corner comes to the top-left, the top-left to the bottom-left.
        assertEquals(IMAGE.get(0, 4, 0), out.get(0, 0, 0));
        assertEquals(IMAGE.get(0, 0, 2), out.get(4, 0, 2));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(IMAGE.get(y, x, c), out.get(4 - x, y, c), "input (" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void twoQuarterTurnsAreAPointMirrorAndFourAreTheIdentity() {
        Image half = Rotate90.rotate(IMAGE, 2);
        assertEquals(IMAGE.get(0, 0, 1), half.get(3, 4, 1));
        assertEquals(IMAGE.get(1, 3, 0), half.get(2, 1, 0));

        Image out = IMAGE;
        for (int i = 0; i < 4; i++) {
            out = Rotate90.rotate(out, 1);
        }
        assertArrayEquals(IMAGE.pixels(), out.pixels());
        assertEquals(4, out.height());
    }

    @Test
    void rotate90DrawsOnlyTheListedTurns() {
        Rotate90 onlyHalf = new Rotate90(1, List.of(2));
        for (int seed = 0; seed < 5; seed++) {
            assertArrayEquals(Rotate90.rotate(IMAGE, 2).pixels(),
                    onlyHalf.apply(IMAGE, new SplittableRandom(seed)).pixels());
        }
    }

    @Test
    void affineRotationByNinetyDegreesAgreesWithTheExactQuarterTurn() {
        Image square = TestImages.noisy(7, 7, 3, 5);

        Image warped = Rotate.rotate(square, 90, Fill.constant(-1));

        assertArrayEquals(Rotate90.rotate(square, 1).pixels(), warped.pixels(), 1e-3f);
    }

    @Test
    void translationMovesTheImageByTheDrawnShiftWithinTheLimits() {
        Image marked = TestImages.constant(9, 9, 1, 10);
        marked.set(4, 4, 0, 200);
        Translate translate = new Translate(1, 2, 1, Fill.edge());
        Set<List<Integer>> shifts = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            Image out = translate.apply(marked, new SplittableRandom(seed));
            int at = indexOf(out.pixels(), 200);
            int dy = at / 9 - 4;
            int dx = at % 9 - 4;
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 1, "shift " + dx + ", " + dy);
            shifts.add(List.of(dx, dy));
            assertArrayEquals(Translate.shift(marked, dx, dy, Fill.edge()).pixels(), out.pixels());
        }
        assertEquals(15, shifts.size(), "all 5 x 3 shifts are drawn");
    }

    @Test
    void shiftTakesEachPixelFromItsSourceAndFillsWhatComesFromOutside() {
        Image out = Translate.shift(IMAGE, 2, -1, Fill.constant(-7));

        assertEquals(IMAGE.get(1, 0, 2), out.get(0, 2, 2));
        assertEquals(IMAGE.get(3, 2, 0), out.get(2, 4, 0));
        assertEquals(-7, out.get(0, 1, 0));
        assertEquals(-7, out.get(3, 3, 1), "the bottom row comes from below the image");
    }

    @Test
    void padCropHasTheRequestedSizeAndPaddedPixelsFollowTheFill() {
        Image in = TestImages.coded(6, 6, 1);
        Set<Integer> corners = new HashSet<>();
        for (int seed = 0; seed < 100; seed++) {
            Image out = new PadCrop(1, 2, 5, 4, Fill.constant(-1)).apply(in, new SplittableRandom(seed));
            assertEquals(5, out.height());
            assertEquals(4, out.width());
            // The window is the padded image's: its content is the input shifted, -1 wherever it is padding.
            float first = out.get(0, 0, 0);
            corners.add((int) first);
            int top = findTop(in, out);
            int left = findLeft(in, out);
            assertTrue(top >= -2 && top <= 6 + 2 - 5 && left >= -2 && left <= 6 + 2 - 4, top + ", " + left);
            assertArrayEquals(Pixels.window(in, top, left, 5, 4, Fill.constant(-1)).pixels(), out.pixels());
        }
        assertTrue(corners.contains(-1) && corners.size() > 3, "positions vary and reach the padding: " + corners);
    }

    @Test
    void paddingFollowsEdgeAndReflectPolicies() {
        Image in = TestImages.coded(3, 4, 1);

        Image edge = Pixels.window(in, -2, -2, 7, 8, Fill.edge());
        Image reflect = Pixels.window(in, -2, -2, 7, 8, Fill.reflect());

        assertEquals(in.get(0, 0, 0), edge.get(0, 0, 0));
        assertEquals(in.get(0, 0, 0), edge.get(1, 2, 0));
        assertEquals(in.get(2, 3, 0), edge.get(6, 7, 0));
        // Reflect mirrors about the border pixel without repeating it: -1 -> 1, -2 -> 2, n -> n - 2.
        assertEquals(in.get(2, 2, 0), reflect.get(0, 0, 0));
        assertEquals(in.get(1, 1, 0), reflect.get(1, 1, 0));
        assertEquals(in.get(1, 1, 0), reflect.get(5, 7, 0));
        assertEquals(in.get(0, 0, 0), reflect.get(2, 2, 0));
    }

    @Test
    void windowsAnywhereAgreeWithSamplingEachPixelByThePolicy() {
        Image in = TestImages.coded(3, 4, 2);
        SplittableRandom random = new SplittableRandom(8);
        for (Fill fill : List.of(Fill.constant(-5), Fill.edge(), Fill.reflect())) {
            for (int i = 0; i < 200; i++) {
                int top = random.nextInt(-12, 12);
                int left = random.nextInt(-12, 12);
                int h = random.nextInt(1, 9);
                int w = random.nextInt(1, 9);
                Image out = Pixels.window(in, top, left, h, w, fill);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        for (int c = 0; c < 2; c++) {
                            assertEquals(sample(in, fill, top + y, left + x, c), out.get(y, x, c),
                                    fill + " window at " + top + ", " + left);
                        }
                    }
                }
            }
        }
    }

    @Test
    void zoomingOutFillsTheMarginByThePolicy() {
        // Value 10 + 2x: at output column 0 a 0.5 zoom about centre column 4 samples source column -4.
        Image ramp = Image.blank(9, 9, 1);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                ramp.set(y, x, 0, 10 + 2 * x);
            }
        }

        assertEquals(7, Zoom.zoom(ramp, 0.5, Fill.constant(7)).get(4, 0, 0), 1e-3);
        assertEquals(10, Zoom.zoom(ramp, 0.5, Fill.edge()).get(4, 0, 0), 1e-3);
        assertEquals(18, Zoom.zoom(ramp, 0.5, Fill.reflect()).get(4, 0, 0), 1e-3);
        assertEquals(18, Zoom.zoom(ramp, 0.5, Fill.constant(7)).get(4, 4, 0), 1e-3, "the centre stays");
        assertEquals(14, Zoom.zoom(ramp, 2, Fill.constant(7)).get(4, 0, 0), 1e-3, "zooming in shows column 2");
    }

    @Test
    void shearShiftsRowsByTheirDistanceFromTheCentreRow() {
        Image in = TestImages.noisy(5, 9, 1, 3);

        Image out = Shear.shear(in, 45, Fill.constant(0));

        for (int x = 0; x < 9; x++) {
            assertEquals(in.get(2, x, 0), out.get(2, x, 0), 1e-3, "centre row");
        }
        // tan 45 = 1: row 4, 2 below the centre, moves 2 columns right; row 0 moves 2 columns left.
        assertEquals(in.get(4, 1, 0), out.get(4, 3, 0), 1e-3);
        assertEquals(in.get(0, 5, 0), out.get(0, 3, 0), 1e-3);
    }

    @Test
    void elasticDistortionWithZeroAlphaIsTheIdentityAndOtherwiseMovesPixels() {
        Image in = TestImages.noisy(16, 12, 3, 9);

        Image still = new Elastic(1, 0, 4, Fill.reflect()).apply(in, new SplittableRandom(3));
        Image moved = new Elastic(1, 34, 4, Fill.reflect()).apply(in, new SplittableRandom(3));

        assertArrayEquals(in.pixels(), still.pixels(), 1e-3f);
        assertEquals(16, moved.height());
        assertEquals(12, moved.width());
        assertNotEquals(0, maxDifference(in, moved), 1);
    }

    @Test
    void randomResizedCropHasTheOutputSizeAndFallsBackToTheCentre() {
        Image in = TestImages.noisy(20, 30, 3, 4);
        RandomResizedCrop crop = new RandomResizedCrop(1, 8, 6, 0.08, 1, 0.75, 4.0 / 3, 10);
        for (int seed = 0; seed < 20; seed++) {
            Image out = crop.apply(in, new SplittableRandom(seed));
            assertEquals(8, out.height());
            assertEquals(6, out.width());
        }
        // The whole area at ratio 4/3 would be 28x21, which does not fit, so every attempt fails. The image's
        // ratio 1.5 exceeds 4/3, so the fallback is the centre 27x20 window (20 * 4/3 rounded), here not resized.
        RandomResizedCrop impossible = new RandomResizedCrop(1, 20, 27, 1, 1, 4.0 / 3, 4.0 / 3, 3);
        Image fallback = impossible.apply(in, new SplittableRandom(1));
        assertArrayEquals(Pixels.crop(in, 0, 1, 20, 27).pixels(), fallback.pixels(), 1e-3f);
        assertArrayEquals(fallback.pixels(), impossible.skip(in).pixels());
    }

    @Test
    void cropsTakeTheRequestedWindow() {
        Image out = Pixels.crop(IMAGE, 1, 2, 2, 3);

        assertEquals(2, out.height());
        assertEquals(3, out.width());
        assertEquals(IMAGE.get(1, 2, 0), out.get(0, 0, 0));
        assertEquals(IMAGE.get(2, 4, 2), out.get(1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Pixels.crop(IMAGE, 3, 0, 2, 1));
        Image centre = Pixels.centreCrop(IMAGE, 2, 3);
        assertEquals(IMAGE.get(1, 1, 0), centre.get(0, 0, 0));
    }

    static float maxDifference(Image a, Image b) {
        float max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
        }
        return max;
    }

    /** The reference: one pixel of the image extended by the fill policy, looked up on its own. */
    private static float sample(Image in, Fill fill, int y, int x, int c) {
        int yy = fill.index(y, in.height());
        int xx = fill.index(x, in.width());
        return yy < 0 || xx < 0 ? fill.value() : in.get(yy, xx, c);
    }

    private static int indexOf(float[] values, float value) {
        int found = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                assertEquals(-1, found, "the marker appears once");
                found = i;
            }
        }
        assertNotEquals(-1, found, "the marker is kept");
        return found;
    }

    /** The input row of the output's first row, from a column that lies inside the input. */
    private static int findTop(Image in, Image out) {
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                float v = out.get(y, x, 0);
                if (v >= 0) {
                    return (int) v / 1000 - y;
                }
            }
        }
        throw new AssertionError("no input pixel in " + out);
    }

    private static int findLeft(Image in, Image out) {
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                float v = out.get(y, x, 0);
                if (v >= 0) {
                    return ((int) v % 1000) / 10 - x;
                }
            }
        }
        throw new AssertionError("no input pixel in " + out);
    }
}
