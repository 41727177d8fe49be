package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Scales about the image centre by a factor drawn uniformly in [min, max] and keeps the size: above 1 zooms in
 * (the border is cut off), below 1 zooms out and {@code fill} covers the margin. Warped by OpenCV.
 */
public record Zoom(double p, double min, double max, Fill fill) implements Augmentation {
    public Zoom {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("min", min, 0.01, 100);
        ParamValidators.requireRange("max", max, 0.01, 100);
        ParamValidators.requireOrdered("min", min, "max", max);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        return zoom(in, Pixels.uniform(random, min, max), fill);
    }

    static Image zoom(Image in, double factor, Fill fill) {
        double cx = (in.width() - 1) / 2.0;
        double cy = (in.height() - 1) / 2.0;
        double[] m = {factor, 0, (1 - factor) * cx, 0, factor, (1 - factor) * cy};
        return OpenCv.warpAffine(in, m, fill);
    }
}
