package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Plain-Java pixel operations shared by several steps: too simple to be worth a copy into an OpenCV Mat. */
final class Pixels {
    private Pixels() {}

    /** The height x width window whose top-left corner is (top, left); it must lie inside the image. */
    static Image crop(Image in, int top, int left, int height, int width) {
        if (top < 0 || left < 0 || top + height > in.height() || left + width > in.width()) {
            throw new IllegalArgumentException("a " + width + "x" + height + " crop at (" + left + ", " + top
                    + ") does not fit a " + in + " image");
        }
        int c = in.channels();
        float[] out = new float[height * width * c];
        for (int y = 0; y < height; y++) {
            System.arraycopy(in.pixels(), ((top + y) * in.width() + left) * c, out, y * width * c, width * c);
        }
        return new Image(height, width, c, out);
    }

    /**
     * The height x width window at (top, left) of the image extended without bound by {@code fill}; unlike
     * {@link #crop} it may reach outside, which is how translation and padded crops are done without a padded copy.
     */
    static Image window(Image in, int top, int left, int height, int width, Fill fill) {
        int c = in.channels();
        float[] src = in.pixels();
        float[] out = new float[height * width * c];
        // Columns inside the image are copied as one span per row; only the few outside are mapped one by one.
        int inFrom = Math.max(0, Math.min(width, -left));
        int inTo = Math.max(inFrom, Math.min(width, in.width() - left));
        for (int y = 0; y < height; y++) {
            int sy = fill.index(top + y, in.height());
            int row = y * width * c;
            if (sy < 0) {
                Arrays.fill(out, row, row + width * c, fill.value());
                continue;
            }
            int srcRow = sy * in.width() * c;
            if (inTo > inFrom) {
                System.arraycopy(src, srcRow + (left + inFrom) * c, out, row + inFrom * c, (inTo - inFrom) * c);
            }
            for (int x = 0; x < inFrom; x++) {
                outside(in, srcRow, left + x, out, row + x * c, fill);
            }
            for (int x = inTo; x < width; x++) {
                outside(in, srcRow, left + x, out, row + x * c, fill);
            }
        }
        return new Image(height, width, c, out);
    }

    /** Writes the pixel that {@code fill} gives for column sx (outside the image) of the row starting at srcRow. */
    private static void outside(Image in, int srcRow, int sx, float[] out, int at, Fill fill) {
        int x = fill.index(sx, in.width());
        for (int k = 0; k < in.channels(); k++) {
            out[at + k] = x < 0 ? fill.value() : in.pixels()[srcRow + x * in.channels() + k];
        }
    }

    /** The centre height x width window (rounding the offset down), which must fit. */
    static Image centreCrop(Image in, int height, int width) {
        if (height == in.height() && width == in.width()) {
            return in;
        }
        return crop(in, (in.height() - height) / 2, (in.width() - width) / 2, height, width);
    }

    static float clamp255(double v) {
        return (float) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    /** A uniform draw in [min, max]; exactly min when the range is empty. */
    static double uniform(RandomGenerator random, double min, double max) {
        return max > min ? random.nextDouble(min, max) : min;
    }

    /** ITU-R BT.601 luma of the pixel at index i of a 3-channel image, the grey that jitter blends towards. */
    static float luma(float[] rgb, int i) {
        return 0.299f * rgb[i] + 0.587f * rgb[i + 1] + 0.114f * rgb[i + 2];
    }
}
