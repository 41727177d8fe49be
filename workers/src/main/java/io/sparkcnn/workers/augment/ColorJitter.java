package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Brightness, contrast and saturation jitter as in torchvision, in that fixed order, each with a factor drawn in
 * [1 - amount, 1 + amount] (amount 0 leaves it out): brightness scales the values, contrast blends with the mean
 * grey of the image, saturation with each pixel's own grey (3-channel images only). Results are clamped to 0..255.
 */
public record ColorJitter(double p, double brightness, double contrast, double saturation) implements Augmentation {
    public ColorJitter {
        ParamValidators.requireProbability(p);
        ParamValidators.requireRange("brightness", brightness, 0, 1);
        ParamValidators.requireRange("contrast", contrast, 0, 1);
        ParamValidators.requireRange("saturation", saturation, 0, 1);
    }

    @Override
    public void requireChannels(int channels) {
        if (saturation > 0 && channels != 3) {
            throw new IllegalArgumentException("color-jitter saturation needs 3-channel RGB images, not " + channels
                    + "-channel ones; set saturation = 0 for them");
        }
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        requireChannels(in.channels());
        float[] px = in.pixels().clone();
        if (brightness > 0) {
            float f = factor(random, brightness);
            for (int i = 0; i < px.length; i++) {
                px[i] = Pixels.clamp255(px[i] * f);
            }
        }
        if (contrast > 0) {
            float f = factor(random, contrast);
            float mean = meanGrey(px, in.channels());
            for (int i = 0; i < px.length; i++) {
                px[i] = Pixels.clamp255(mean + (px[i] - mean) * f);
            }
        }
        if (saturation > 0) {
            float f = factor(random, saturation);
            for (int i = 0; i < px.length; i += 3) {
                float grey = Pixels.luma(px, i);
                for (int k = 0; k < 3; k++) {
                    px[i + k] = Pixels.clamp255(grey + (px[i + k] - grey) * f);
                }
            }
        }
        return new Image(in.height(), in.width(), in.channels(), px);
    }

    private static float factor(RandomGenerator random, double amount) {
        return (float) Pixels.uniform(random, 1 - amount, 1 + amount);
    }

    private static float meanGrey(float[] px, int channels) {
        double sum = 0;
        if (channels == 3) {
            for (int i = 0; i < px.length; i += 3) {
                sum += Pixels.luma(px, i);
            }
            return (float) (sum / (px.length / 3));
        }
        for (float v : px) {
            sum += v;
        }
        return (float) (sum / px.length);
    }
}
