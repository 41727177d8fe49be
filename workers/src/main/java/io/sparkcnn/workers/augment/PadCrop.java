package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * The CIFAR random crop: pad {@code padding} pixels on every side following {@code fill}, then cut a height x
 * width window (0 means the input's own size) at a uniformly drawn position. Plain Java, without building the
 * padded copy. When the pipeline skips it, the centre window is taken so that the size is always the promised one.
 */
public record PadCrop(double p, int padding, int height, int width, Fill fill) implements Augmentation {
    public PadCrop {
        ParamValidators.requireProbability(p);
        ParamValidators.requireAtLeast("padding", padding, 0);
        ParamValidators.requireAtLeast("height", height, 0);
        ParamValidators.requireAtLeast("width", width, 0);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        int h = outHeight(in);
        int w = outWidth(in);
        int top = random.nextInt(in.height() + 2 * padding - h + 1) - padding;
        int left = random.nextInt(in.width() + 2 * padding - w + 1) - padding;
        return Pixels.window(in, top, left, h, w, fill);
    }

    @Override
    public Image skip(Image in) {
        int h = outHeight(in);
        int w = outWidth(in);
        return Pixels.window(in, (in.height() - h) / 2, (in.width() - w) / 2, h, w, fill);
    }

    private int outHeight(Image in) {
        int h = height == 0 ? in.height() : height;
        if (h > in.height() + 2 * padding) {
            throw new IllegalArgumentException("pad-crop height " + h + " exceeds the padded height "
                    + (in.height() + 2 * padding) + " of a " + in + " image");
        }
        return h;
    }

    private int outWidth(Image in) {
        int w = width == 0 ? in.width() : width;
        if (w > in.width() + 2 * padding) {
            throw new IllegalArgumentException("pad-crop width " + w + " exceeds the padded width "
                    + (in.width() + 2 * padding) + " of a " + in + " image");
        }
        return w;
    }
}
