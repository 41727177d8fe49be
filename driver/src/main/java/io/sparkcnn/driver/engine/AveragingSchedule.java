package io.sparkcnn.driver.engine;

/**
 * How many blocks of tau local steps the next averaging round covers, k. {@link #FIXED} keeps every round at one
 * block (tau steps, the configured averaging frequency). An adaptive schedule watches the relative spread of the
 * workers' updates ({@link ParameterAverage#relativeSpread()}) after each round: below {@code low} the workers
 * agree, so k doubles (average less often), up to {@code maxBlocks}; above {@code high} they drift apart, so k
 * halves, down to 1. A round always ends on a block boundary, which a checkpoint's {@link Position} can name.
 */
public record AveragingSchedule(int maxBlocks, double low, double high) implements java.io.Serializable {
    /** Every round one block of tau steps: the engine as it was before the adaptive option. */
    public static final AveragingSchedule FIXED = new AveragingSchedule(1, 0, Double.POSITIVE_INFINITY);

    public AveragingSchedule {
        if (maxBlocks < 1 || Integer.bitCount(maxBlocks) != 1) {
            throw new IllegalArgumentException("the most blocks a round covers"
                    + " (training.adaptive-averaging.max-multiple) must be a power of two (1, 2, 4, 8...): " + maxBlocks);
        }
        if (!(low >= 0 && high > low)) {
            throw new IllegalArgumentException("the spread thresholds need 0 <= low < high: low " + low + ", high "
                    + high);
        }
    }

    /** The blocks of the round after one that covered {@code blocks} and measured {@code spread}. */
    public int next(int blocks, double spread) {
        // No measurement (no worker had data, or a diverged round): keep what there is.
        if (Double.isNaN(spread)) {
            return clamp(blocks);
        }
        if (spread < low) {
            return clamp(2 * blocks);
        }
        if (spread > high) {
            return clamp(blocks / 2);
        }
        return clamp(blocks);
    }

    /** {@code blocks} brought into [1, maxBlocks], for a run resumed under a changed configuration. */
    public int clamp(int blocks) {
        return Math.max(1, Math.min(maxBlocks, blocks));
    }
}
