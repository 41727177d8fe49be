package io.sparkcnn.workers.augment;

import java.util.List;

/**
 * One configuration key of an augmentation type or of preprocessing: its kind, default, one-line doc and, for
 * choices, the allowed words. The registry lists these for the help screen and reads maps against them.
 */
public record Param(String key, Kind kind, Object defaultValue, String doc, List<String> choices) {
    /** The shapes a value can have in configuration. */
    public enum Kind {
        INT, NUMBER, CHOICE, NUMBERS, INTS, MATRIX
    }

    public Param {
        choices = List.copyOf(choices);
    }

    static Param integer(String key, int defaultValue, String doc) {
        return new Param(key, Kind.INT, defaultValue, doc, List.of());
    }

    static Param number(String key, double defaultValue, String doc) {
        return new Param(key, Kind.NUMBER, defaultValue, doc, List.of());
    }

    static Param choice(String key, String defaultValue, String doc, List<String> choices) {
        return new Param(key, Kind.CHOICE, defaultValue, doc, choices);
    }

    static Param numbers(String key, List<Double> defaultValue, String doc) {
        return new Param(key, Kind.NUMBERS, defaultValue, doc, List.of());
    }

    static Param ints(String key, List<Integer> defaultValue, String doc) {
        return new Param(key, Kind.INTS, defaultValue, doc, List.of());
    }

    static Param matrix(String key, List<List<Double>> defaultValue, String doc) {
        return new Param(key, Kind.MATRIX, defaultValue, doc, List.of());
    }

    /** What the key accepts, for error messages and the help screen. */
    public String allowed() {
        return switch (kind) {
            case INT -> "a whole number";
            case NUMBER -> "a number";
            case CHOICE -> "one of " + String.join(", ", choices);
            case NUMBERS -> "a list of numbers";
            case INTS -> "a list of whole numbers";
            case MATRIX -> "a list of lists of numbers";
        };
    }

    @Override
    public String toString() {
        return key + " = " + (defaultValue instanceof String s ? "\"" + s + "\"" : defaultValue) + "  (" + allowed()
                + ") " + doc;
    }
}
