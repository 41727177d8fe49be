package io.sparkcnn.driver.engine;

/**
 * How many units of tau local steps the next averaging round covers. {@link #FIXED} keeps every round at one
 * unit (tau steps, the configured averaging frequency). An adaptive schedule watches the relative spread of the
 * workers' updates ({@link ParameterAverage#relativeSpread()}) after each round: below {@code low} the workers
 * agree, so the multiple k doubles (average less often), up to {@code maxMultiple}; above {@code high} they
 * drift apart, so k halves, down to 1. k stays a power of two, so a round always ends on a unit boundary that
 * a checkpoint's {@link Position} can name.
 */
public record AveragingSchedule(int maxMultiple, double low, double high) {
    /** Every round one unit of tau steps: the engine as it was before the adaptive option. */
    public static final AveragingSchedule FIXED = new AveragingSchedule(1, 0, Double.POSITIVE_INFINITY);

    public AveragingSchedule {
        if (maxMultiple < 1 || Integer.bitCount(maxMultiple) != 1) {
            throw new IllegalArgumentException("the largest averaging multiple must be a power of two (1, 2, 4,"
                    + " 8...): " + maxMultiple);
        }
        if (!(low >= 0 && high > low)) {
            throw new IllegalArgumentException("the spread thresholds need 0 <= low < high: low " + low + ", high "
                    + high);
        }
    }

    /** The multiple for the round after one that ran with {@code multiple} and measured {@code spread}. */
    public int next(int multiple, double spread) {
        // No measurement (no worker had data, or a diverged round): keep what there is.
        if (Double.isNaN(spread)) {
            return clamp(multiple);
        }
        if (spread < low) {
            return clamp(2 * multiple);
        }
        if (spread > high) {
            return clamp(multiple / 2);
        }
        return clamp(multiple);
    }

    /** {@code multiple} brought into [1, maxMultiple], for a run resumed under a changed configuration. */
    public int clamp(int multiple) {
        return Math.max(1, Math.min(maxMultiple, multiple));
    }
}
