package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Shears horizontally about the centre row by an angle drawn uniformly in [min-degrees, max-degrees] (each row
 * shifts by tan(angle) times its distance from the centre row), keeping the size. Warped by OpenCV.
 */
public record Shear(double p, double minDegrees, double maxDegrees, Fill fill) implements Augmentation {
    public Shear {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("min-degrees", minDegrees, -80, 80);
        ParamValidators.requireRange("max-degrees", maxDegrees, -80, 80);
        ParamValidators.requireOrdered("min-degrees", minDegrees, "max-degrees", maxDegrees);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        return shear(in, Pixels.uniform(random, minDegrees, maxDegrees), fill);
    }

    static Image shear(Image in, double degrees, Fill fill) {
        double t = Math.tan(Math.toRadians(degrees));
        double cy = (in.height() - 1) / 2.0;
        double[] m = {1, t, -t * cy, 0, 1, 0};
        return OpenCv.warpAffine(in, m, fill);
    }
}
