package io.sparkcnn.workers.augment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Reads one configuration object (a map as Typesafe Config's {@code unwrapped()} gives it) against a list of
 * {@link Param}s: missing keys take their defaults, unknown keys and badly typed values fail naming where the
 * object is, its type, the key, the value and what is allowed.
 */
final class SpecReader {
    private final String where;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, ?> spec;

    /** {@code where} names the object in messages, e.g. {@code augment[2] (type "translate")}. */
    SpecReader(String where, Map<String, ?> spec, List<Param> params, List<String> ignoredKeys) {
        this.where = where;
        this.spec = spec;
        params.forEach(p -> this.params.put(p.key(), p));
        for (String key : spec.keySet()) {
            if (!this.params.containsKey(key) && !ignoredKeys.contains(key)) {
                List<String> known = new ArrayList<>(ignoredKeys);
                known.addAll(this.params.keySet());
                throw fail("unknown key \"" + key + "\" = " + show(spec.get(key)) + suggestion(key, known)
                        + "; the keys are " + String.join(", ", known));
            }
        }
    }

    IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(where + ": " + message);
    }

    int integer(String key) {
        Object v = raw(key);
        Double d = asDouble(v);
        if (d == null || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw bad(key, v);
        }
        return d.intValue();
    }

    double number(String key) {
        Object v = raw(key);
        Double d = asDouble(v);
        if (d == null || !Double.isFinite(d)) {
            throw bad(key, v);
        }
        return d;
    }

    String choice(String key) {
        Object v = raw(key);
        Param p = params.get(key);
        String s = v instanceof String str ? str.trim().toLowerCase(Locale.ROOT) : null;
        if (s == null || !p.choices().contains(s)) {
            throw new IllegalArgumentException(where + ": key \"" + key + "\" = " + show(v) + " is not allowed: "
                    + p.allowed() + (s == null ? "" : suggestion(s, p.choices())));
        }
        return s;
    }

    List<Double> numbers(String key) {
        Object v = raw(key);
        List<Double> out = doubles(v);
        if (out == null) {
            throw bad(key, v);
        }
        return out;
    }

    List<Integer> ints(String key) {
        Object v = raw(key);
        List<Integer> out = new ArrayList<>();
        for (double d : numbers(key)) {
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw bad(key, v);
            }
            out.add((int) d);
        }
        return out;
    }

    List<List<Double>> matrix(String key) {
        Object v = raw(key);
        if (!(v instanceof List<?> rows)) {
            throw bad(key, v);
        }
        List<List<Double>> out = new ArrayList<>();
        for (Object row : rows) {
            List<Double> values = doubles(row);
            if (values == null) {
                throw bad(key, v);
            }
            out.add(values);
        }
        return out;
    }

    /** The finite numbers of a list, or null when it is not a list of them. */
    private static List<Double> doubles(Object v) {
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (Object o : list) {
            Double d = asDouble(o);
            if (d == null || !Double.isFinite(d)) {
                return null;
            }
            out.add(d);
        }
        return out;
    }

    /** The {@code fill} and {@code fill-value} keys of the geometric transforms. */
    Fill fill() {
        String mode = choice("fill");
        float value = (float) number("fill-value");
        return new Fill(Fill.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), value);
    }

    private Object raw(String key) {
        Param p = params.get(key);
        if (p == null) {
            throw new IllegalStateException("no parameter " + key + " declared");
        }
        Object v = spec.get(key);
        return v == null ? p.defaultValue() : v;
    }

    private IllegalArgumentException bad(String key, Object value) {
        return new IllegalArgumentException(where + ": key \"" + key + "\" = " + show(value) + " is not allowed: "
                + params.get(key).allowed() + " is needed");
    }

    /** Numbers, or strings holding one (values overridden from system properties arrive as strings). */
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

    static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    /** " (did you mean "x"?)" for the known name nearest to a misspelt one, if it is near enough to be a typo. */
    static String suggestion(String given, List<String> known) {
        Optional<String> nearest = known.stream()
                .min(Comparator.comparingInt(k -> distance(given.toLowerCase(Locale.ROOT), k)));
        return nearest.filter(k -> distance(given.toLowerCase(Locale.ROOT), k) <= Math.max(2, k.length() / 3))
                .map(k -> " (did you mean \"" + k + "\"?)")
                .orElse("");
    }

    /** Levenshtein edit distance (commons-text, which Spark brings). */
    static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
