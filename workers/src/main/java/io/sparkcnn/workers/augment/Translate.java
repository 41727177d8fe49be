package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.random.RandomGenerator;

/**
 * Shifts the image by whole pixels drawn uniformly in -max-x..max-x and -max-y..max-y (the ConvNetJS CIFAR-10
 * demo uses 2), keeping the size. Plain Java: an integer shift is a window copy, cheaper than a Mat round trip.
 */
public record Translate(double p, int maxX, int maxY, Fill fill) implements Augmentation {
    public Translate {
        ParamValidators.requireProbability(p);
        ParamValidators.requireAtLeast("max-x", maxX, 0);
        ParamValidators.requireAtLeast("max-y", maxY, 0);
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        int dx = random.nextInt(-maxX, maxX + 1);
        int dy = random.nextInt(-maxY, maxY + 1);
        return shift(in, dx, dy, fill);
    }

    /** Moves every pixel dx to the right and dy down: output (y, x) is input (y - dy, x - dx). */
    static Image shift(Image in, int dx, int dy, Fill fill) {
        return Pixels.window(in, -dy, -dx, in.height(), in.width(), fill);
    }
}
