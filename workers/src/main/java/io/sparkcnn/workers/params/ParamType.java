package io.sparkcnn.workers.params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The type of a parameter's value and how it is read from configuration: from what Typesafe Config's
 * {@code unwrapped()} gives (numbers, booleans, strings, lists, maps) or from a command line's text. A value of
 * the wrong shape fails with what is needed ("a whole number is needed").
 *
 * @param name what a value of the type is, for messages and the help ("a whole number")
 * @param structured true when a value is a list or an object, written in HOCON syntax on the command line
 * @param choices for a choice, the words allowed; otherwise empty
 */
public record ParamType<T>(String name, boolean structured, Function<Object, T> reader, Function<T, Object> writer,
                           List<String> choices) {

    public static final ParamType<Integer> INT = scalar("a whole number", v -> {
        Double d = asDouble(v);
        return d == null || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE ? null : d.intValue();
    });
    public static final ParamType<Long> LONG = scalar("a whole number", v -> {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Double d = asDouble(v);
        return d == null || d != Math.rint(d) || Math.abs(d) > 9e15 ? null : d.longValue();
    });
    public static final ParamType<Double> NUMBER = scalar("a number", v -> {
        Double d = asDouble(v);
        return d == null || !Double.isFinite(d) ? null : d;
    });
    public static final ParamType<Boolean> BOOLEAN = scalar("true or false", v -> {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v instanceof String str ? str.trim() : "";
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> null;
        };
    });
    public static final ParamType<String> STRING = scalar("a string", v ->
            v instanceof String || v instanceof Number || v instanceof Boolean ? String.valueOf(v) : null);
    public static final ParamType<List<Integer>> INTS = list("a list of whole numbers", INT);
    public static final ParamType<List<Double>> NUMBERS = list("a list of numbers", NUMBER);
    public static final ParamType<List<String>> STRINGS = list("a list of strings", STRING);
    public static final ParamType<List<List<Double>>> MATRIX = list("a list of lists of numbers", NUMBERS);

    /** Throws what is needed when {@code raw} is not a value of this type; strings holding a number are numbers. */
    public T read(Object raw) {
        T value = raw == null ? null : reader.apply(raw);
        if (value == null) {
            throw new IllegalArgumentException(name + " is needed");
        }
        return value;
    }

    /** The value as configuration writes it: choices as their words, lists as lists. */
    public Object write(T value) {
        return writer.apply(value);
    }

    /** One of an enum's constants (all of them, or {@code allowed} in that order), by its {@link ParamChoice#word}. */
    @SafeVarargs
    public static <E extends Enum<E> & ParamChoice> ParamType<E> choice(Class<E> type, E... allowed) {
        List<E> choices = allowed.length == 0 ? List.of(type.getEnumConstants()) : List.of(allowed);
        List<String> words = choices.stream().map(ParamChoice::word).toList();
        String name = "one of " + String.join(", ", words);
        return new ParamType<>(name, false, v -> {
            if (!(v instanceof String s)) {
                return null;
            }
            String given = s.trim();
            for (E e : choices) {
                if (e.word().equals(given)) {
                    return e;
                }
            }
            for (E e : choices) {
                if (e.word().equalsIgnoreCase(given)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(name + DidYouMean.nearest(given, words)
                    .map(k -> " (did you mean \"" + k + "\"?)").orElse(""));
        }, ParamChoice::word, words);
    }

    /**
     * A value read by its own builder (a preprocessing object, an augmentation list) whose messages say what is
     * wrong; {@code empty} is how configuration writes the value that leaves it out.
     */
    public static <T> ParamType<T> structured(String name, Function<Object, T> build, Object empty) {
        return new ParamType<>(name, true, build, value -> empty, List.of());
    }

    private static <T> ParamType<T> scalar(String name, Function<Object, T> reader) {
        return new ParamType<>(name, false, reader, v -> v, List.of());
    }

    private static <E> ParamType<List<E>> list(String name, ParamType<E> element) {
        return new ParamType<>(name, true, v -> {
            if (!(v instanceof List<?> items)) {
                return null;
            }
            List<E> out = new ArrayList<>();
            for (Object item : items) {
                E e = item == null ? null : element.reader().apply(item);
                if (e == null) {
                    return null;
                }
                out.add(e);
            }
            return List.copyOf(out);
        }, value -> value.stream().map(element::write).toList(), List.of());
    }

    /** Numbers, or strings holding one (values overridden from the command line arrive as strings). */
    private static Double asDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A value as messages show it: strings quoted. */
    public static String show(Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return String.valueOf(v);
        }
        if (v instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
