package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/** Mirrors the image top to bottom with probability p; plain Java, since it only reorders rows. */
public record VerticalFlip(double p) implements Augmentation {
    public VerticalFlip {
        ParamValidators.requireProbability(p);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        int h = in.height();
        int row = in.width() * in.channels();
        float[] out = new float[in.pixels().length];
        for (int y = 0; y < h; y++) {
            System.arraycopy(in.pixels(), y * row, out, (h - 1 - y) * row, row);
        }
        return new Image(h, in.width(), in.channels(), out);
    }
}
