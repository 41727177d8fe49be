package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import java.util.random.RandomGenerator;

/** Mirrors the image left to right with probability p; plain Java, since it is a pure index mapping. */
public record HorizontalFlip(double p) implements Augmentation {
    public HorizontalFlip {
        Check.probability(p);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        int w = in.width();
        int c = in.channels();
        float[] src = in.pixels();
        float[] out = new float[src.length];
        for (int y = 0; y < in.height(); y++) {
            int row = y * w * c;
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, row + x * c, out, row + (w - 1 - x) * c, c);
            }
        }
        return new Image(in.height(), w, c, out);
    }
}
