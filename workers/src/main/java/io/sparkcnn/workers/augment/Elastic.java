package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Simard et al. (2003) elastic distortion: a displacement field of uniform values in -1..1, smoothed by a Gaussian
 * of {@code sigma} pixels and scaled by {@code alpha} pixels, moves every pixel. OpenCV blurs the field and remaps
 * the image; {@code fill} covers what comes from outside. Their MNIST values were alpha 34, sigma 4.
 */
public record Elastic(double p, double alpha, double sigma, Fill fill) implements Augmentation {
    public Elastic {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("alpha", alpha, 0, 1000);
        ParamValidators.requireRange("sigma", sigma, 0.1, 100);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        int h = in.height();
        int w = in.width();
        // Both displacement components as one 2-channel image, so that one blur smooths them together.
        float[] noise = new float[h * w * 2];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextDouble(-1, 1);
        }
        float[] field = OpenCv.gaussianBlur(new Image(h, w, 2, noise), sigma).pixels();
        float[] map = new float[field.length];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i += 2) {
                map[i] = x + (float) alpha * field[i];
                map[i + 1] = y + (float) alpha * field[i + 1];
            }
        }
        return OpenCv.remap(in, map, fill);
    }
}
