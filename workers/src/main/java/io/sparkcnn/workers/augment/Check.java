package io.sparkcnn.workers.augment;

/** The one place where parameter values are validated; messages name the configuration key and what is allowed. */
final class Check {
    private Check() {}

    static double probability(double p) {
        return range("p", p, 0, 1);
    }

    static double range(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", not " + value);
        }
        return value;
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    static double atLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number of at least " + min + ", not " + value);
        }
        return value;
    }

    static void ordered(String minKey, double min, String maxKey, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException(minKey + " (" + min + ") must not exceed " + maxKey + " (" + max + ")");
        }
    }
}
