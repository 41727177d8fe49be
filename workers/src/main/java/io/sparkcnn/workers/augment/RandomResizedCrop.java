package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * The Inception / torchvision random-resized crop: a window covering a fraction of the area drawn in
 * [min-scale, max-scale] with an aspect ratio (width / height) drawn log-uniformly in [min-ratio, max-ratio],
 * placed uniformly, resized to height x width by OpenCV (0 x 0: the size of the image it gets, which is the
 * network's input, so that the default follows the job). After {@code attempts} windows that do not fit, and when
 * the pipeline skips it, the centre crop of the whole image (ratio clamped into range) is taken instead.
 */
public record RandomResizedCrop(double p, int height, int width, double minScale, double maxScale, double minRatio,
        double maxRatio, int attempts) implements Augmentation {
    public RandomResizedCrop {
        ParamValidators.requireProbability(p);
        ParamValidators.requireAtLeast("height", height, 0);
        ParamValidators.requireAtLeast("width", width, 0);
        if ((height == 0) != (width == 0)) {
            throw new IllegalArgumentException("height and width must both be set or both be 0 (the image's own"
                    + " size), not " + height + " and " + width);
        }
        ParamValidators.requireRange("min-scale", minScale, 1e-4, 1);
        ParamValidators.requireRange("max-scale", maxScale, 1e-4, 1);
        ParamValidators.requireOrdered("min-scale", minScale, "max-scale", maxScale);
        ParamValidators.requireRange("min-ratio", minRatio, 0.01, 100);
        ParamValidators.requireRange("max-ratio", maxRatio, 0.01, 100);
        ParamValidators.requireOrdered("min-ratio", minRatio, "max-ratio", maxRatio);
        ParamValidators.requireAtLeast("attempts", attempts, 1);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        double area = (double) in.height() * in.width();
        for (int i = 0; i < attempts; i++) {
            double target = area * Pixels.uniform(random, minScale, maxScale);
            double ratio = Math.exp(Pixels.uniform(random, Math.log(minRatio), Math.log(maxRatio)));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= in.width() && h <= in.height()) {
                int top = random.nextInt(in.height() - h + 1);
                int left = random.nextInt(in.width() - w + 1);
                return OpenCv.resize(Pixels.crop(in, top, left, h, w), outHeight(in), outWidth(in));
            }
        }
        return skip(in);
    }

    @Override
    public Image skip(Image in) {
        double ratio = (double) in.width() / in.height();
        int w = in.width();
        int h = in.height();
        if (ratio < minRatio) {
            h = Math.max(1, (int) Math.round(w / minRatio));
        } else if (ratio > maxRatio) {
            w = Math.max(1, (int) Math.round(h * maxRatio));
        }
        return OpenCv.resize(Pixels.centreCrop(in, h, w), outHeight(in), outWidth(in));
    }

    private int outHeight(Image in) {
        return height == 0 ? in.height() : height;
    }

    private int outWidth(Image in) {
        return width == 0 ? in.width() : width;
    }
}
