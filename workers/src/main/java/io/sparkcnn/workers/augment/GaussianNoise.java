package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/** Adds independent Gaussian noise of standard deviation {@code sigma} (0..255 scale) to every value, clamped. */
public record GaussianNoise(double p, double sigma) implements Augmentation {
    public GaussianNoise {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("sigma", sigma, 0, 255);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        float[] src = in.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = Pixels.clamp255(src[i] + sigma * random.nextGaussian());
        }
        return new Image(in.height(), in.width(), in.channels(), out);
    }
}
