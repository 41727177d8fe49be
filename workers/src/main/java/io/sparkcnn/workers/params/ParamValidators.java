package io.sparkcnn.workers.params;

import java.util.List;

/**
 * The usual {@link ParamValidator}s (as Spark ML's {@code ParamValidators}: gt, gtEq, inRange, inArray), and the
 * same checks applied directly, for the value records that check their own components.
 */
public final class ParamValidators {
    private ParamValidators() {}

    /** At least {@code min}, and finite. */
    public static ParamValidator<Number> gtEq(int min) {
        return new ParamValidator<>(n -> n.doubleValue() >= min && Double.isFinite(n.doubleValue()),
                "must be at least " + min);
    }

    public static ParamValidator<Number> gtEq(double min) {
        return new ParamValidator<>(n -> n.doubleValue() >= min && Double.isFinite(n.doubleValue()),
                "must be at least " + min);
    }

    /** Above {@code min}, and finite. */
    public static ParamValidator<Number> gt(double min) {
        return new ParamValidator<>(n -> n.doubleValue() > min && Double.isFinite(n.doubleValue()),
                min == 0 ? "must be a positive number" : "must be above " + min);
    }

    /** In {@code min..max}, both ends included. */
    public static ParamValidator<Number> inRange(double min, double max) {
        return new ParamValidator<>(n -> n.doubleValue() >= min && n.doubleValue() <= max,
                "must be in " + min + ".." + max);
    }

    /** In the interval from {@code min} to {@code max}, each end included or not, written [a, b), (a, b) etc. */
    public static ParamValidator<Number> inInterval(double min, double max, boolean minIncluded, boolean maxIncluded) {
        return new ParamValidator<>(n -> {
            double v = n.doubleValue();
            return (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
        }, "must be in " + (minIncluded ? "[" : "(") + show(min) + ", " + show(max) + (maxIncluded ? "]" : ")"));
    }

    /** One of {@code allowed}. */
    public static <T> ParamValidator<T> inArray(List<T> allowed) {
        return new ParamValidator<>(allowed::contains, "must be one of " + allowed);
    }

    public static ParamValidator<Number> powerOfTwo() {
        return new ParamValidator<>(n -> n.intValue() >= 1 && n.doubleValue() == n.intValue()
                && Integer.bitCount(n.intValue()) == 1, "must be a power of two (1, 2, 4, 8, ...)");
    }

    public static double requireProbability(double p) {
        return requireRange("p", p, 0, 1);
    }

    public static double requireRange(String key, double value, double min, double max) {
        inRange(min, max).check(key, value);
        return value;
    }

    public static int requireAtLeast(String key, int value, int min) {
        gtEq(min).check(key, value);
        return value;
    }

    public static double requireAtLeast(String key, double value, double min) {
        gtEq(min).check(key, value);
        return value;
    }

    /** Two keys that bound a range: the lower must not exceed the upper. */
    public static void requireOrdered(String minKey, double min, String maxKey, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException(minKey + " (" + min + ") must not exceed " + maxKey + " (" + max + ")");
        }
    }

    private static String show(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
