package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.params.ParamValidators;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Rotates counter-clockwise by a quarter turn count drawn uniformly from {@code turns}: an exact index mapping in
 * plain Java with no interpolation and no fill. On non-square images odd turns swap height and width.
 */
public record Rotate90(double p, List<Integer> turns) implements Augmentation {
    public Rotate90 {
        ParamValidators.requireProbability(p);
        turns = List.copyOf(turns);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("turns must list at least one quarter-turn count in 0..3");
        }
        for (int t : turns) {
            ParamValidators.requireRange("turns", t, 0, 3);
        }
    }

    @Override
    public Image apply(Image in, RandomGenerator random) {
        return rotate(in, turns.get(random.nextInt(turns.size())));
    }

    /** Rotates counter-clockwise by {@code turns} quarter turns: input (y, x) lands at (w-1-x, y) for one turn. */
    static Image rotate(Image in, int turns) {
        Image out = in;
        for (int t = 0; t < Math.floorMod(turns, 4); t++) {
            out = quarterTurn(out);
        }
        return out;
    }

    private static Image quarterTurn(Image in) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        float[] src = in.pixels();
        float[] out = new float[src.length];
        // Output is w rows by h columns; output (w-1-x, y) takes input (y, x).
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int from = (y * w + x) * c;
                int to = ((w - 1 - x) * h + y) * c;
                for (int k = 0; k < c; k++) {
                    out[to + k] = src[from + k];
                }
            }
        }
        return new Image(w, h, c, out);
    }
}
