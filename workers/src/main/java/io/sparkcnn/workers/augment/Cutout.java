package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamChoice;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Cutout (DeVries and Taylor 2017) and random erasing (Zhong et al. 2017): {@code count} rectangles, placed
 * uniformly and always wholly inside the image, are overwritten with {@code value} or with uniform noise in 0..255.
 * A rectangle is height x width when both are set, else it covers an area fraction drawn in [min-area, max-area]
 * with aspect ratio (width / height) drawn log-uniformly in [min-ratio, max-ratio], clipped to the image.
 */
public record Cutout(double p, int count, int height, int width, double minArea, double maxArea, double minRatio,
        double maxRatio, boolean noise, float value) implements Augmentation {
    /** What the rectangles hold, as configuration spells it ({@code fill = noise}). */
    public enum Content implements ParamChoice {
        CONSTANT, NOISE
    }

    public Cutout {
        ParamValidators.requireProbability(p);
        ParamValidators.requireAtLeast("count", count, 1);
        ParamValidators.requireAtLeast("height", height, 0);
        ParamValidators.requireAtLeast("width", width, 0);
        if ((height == 0) != (width == 0)) {
            throw new IllegalArgumentException("height and width must both be set (a fixed rectangle) or both be 0 "
                    + "(an area fraction), not " + height + " and " + width);
        }
        ParamValidators.requireRange("min-area", minArea, 0, 1);
        ParamValidators.requireRange("max-area", maxArea, 0, 1);
        ParamValidators.requireOrdered("min-area", minArea, "max-area", maxArea);
        ParamValidators.requireRange("min-ratio", minRatio, 0.01, 100);
        ParamValidators.requireRange("max-ratio", maxRatio, 0.01, 100);
        ParamValidators.requireOrdered("min-ratio", minRatio, "max-ratio", maxRatio);
        ParamValidators.requireRange("fill-value", value, -1e6, 1e6);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        float[] px = in.pixels().clone();
        for (int n = 0; n < count; n++) {
            int h;
            int w;
            if (height > 0) {
                h = Math.min(height, in.height());
                w = Math.min(width, in.width());
            } else {
                double area = in.height() * in.width() * Pixels.uniform(random, minArea, maxArea);
                double ratio = Math.exp(Pixels.uniform(random, Math.log(minRatio), Math.log(maxRatio)));
                h = clip((int) Math.round(Math.sqrt(area / ratio)), in.height());
                w = clip((int) Math.round(Math.sqrt(area * ratio)), in.width());
            }
            int top = random.nextInt(in.height() - h + 1);
            int left = random.nextInt(in.width() - w + 1);
            erase(px, in, top, left, h, w, random);
        }
        return new Image(in.height(), in.width(), in.channels(), px);
    }

    private void erase(float[] px, Image in, int top, int left, int h, int w, RandomGenerator random) {
        int c = in.channels();
        for (int y = top; y < top + h; y++) {
            for (int i = (y * in.width() + left) * c, end = i + w * c; i < end; i++) {
                px[i] = noise ? (float) random.nextDouble(0, 255) : value;
            }
        }
    }

    private static int clip(int size, int limit) {
        return Math.max(1, Math.min(size, limit));
    }
}
