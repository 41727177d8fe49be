package io.sparkcnn.workers.augment;

import io.sparkcnn.workers.params.ParamChoice;
import java.io.Serializable;

/**
 * What a geometric transform puts where it has no source pixel: a constant value, the mirror image of the
 * content (without repeating the border pixel, OpenCV's BORDER_REFLECT_101), or the nearest border pixel.
 * The same policy is applied by the Java index mappings (translate, pad-crop) and by OpenCV's warps.
 */
public record Fill(Mode mode, float value) implements Serializable {
    /** The fill modes as they are spelt in configuration. */
    public enum Mode implements ParamChoice {
        CONSTANT, REFLECT, EDGE
    }

    /**
     * Reflect is the default: a constant border is a sharp, always-present edge whose position tells the network
     * which transform was drawn, a feature real images do not have; edge smears the border into streaks on large
     * shifts; reflected content keeps the local texture statistics of the image.
     */
    public static final Fill DEFAULT = new Fill(Mode.REFLECT, 0f);

    public Fill {
        if (mode == null) {
            throw new IllegalArgumentException("fill must be one of constant, reflect, edge");
        }
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("fill-value must be a finite number, not " + value);
        }
    }

    public static Fill constant(float value) {
        return new Fill(Mode.CONSTANT, value);
    }

    public static Fill reflect() {
        return new Fill(Mode.REFLECT, 0f);
    }

    public static Fill edge() {
        return new Fill(Mode.EDGE, 0f);
    }

    /** The index inside {@code 0..n-1} that stands for {@code i}, or -1 when the constant value stands for it. */
    int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (mode) {
            case CONSTANT -> -1;
            case EDGE -> i < 0 ? 0 : n - 1;
            case REFLECT -> reflect101(i, n);
        };
    }

    private static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    @Override
    public String toString() {
        return mode == Mode.CONSTANT ? "constant(" + value + ")" : mode.word();
    }
}
