package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Rotates about the image centre by an angle drawn uniformly in [min-degrees, max-degrees] (positive is
 * counter-clockwise), keeping the size; OpenCV's warpAffine interpolates and {@code fill} covers the corners.
 */
public record Rotate(double p, double minDegrees, double maxDegrees, Fill fill) implements Augmentation {
    public Rotate {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("min-degrees", minDegrees, -360, 360);
        ParamValidators.requireRange("max-degrees", maxDegrees, -360, 360);
        ParamValidators.requireOrdered("min-degrees", minDegrees, "max-degrees", maxDegrees);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        return rotate(in, Pixels.uniform(random, minDegrees, maxDegrees), fill);
    }

    static Image rotate(Image in, double degrees, Fill fill) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cx = (in.width() - 1) / 2.0;
        double cy = (in.height() - 1) / 2.0;
        // Image rows grow downwards, so a counter-clockwise turn on screen has +sin in the first row.
        double[] m = {cos, sin, (1 - cos) * cx - sin * cy, -sin, cos, sin * cx + (1 - cos) * cy};
        return OpenCv.warpAffine(in, m, fill);
    }
}
