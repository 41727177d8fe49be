package io.sparkcnn.workers.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one configuration object (a map as Typesafe Config's {@code unwrapped()} gives it) against its declared
 * {@link ParamList}: missing keys take their defaults; an unknown key or a bad value fails naming where the object
 * is, the key, the value and what is allowed.
 */
public final class ParamReader {
    private final String where;
    private final ParamList params;
    private final Map<String, ?> spec;

    /** {@code where} names the object in messages, e.g. {@code augment[2] (type "translate")}. */
    public ParamReader(String where, Map<String, ?> spec, ParamList params, List<String> ignoredKeys) {
        this.where = where;
        this.spec = spec;
        this.params = params;
        for (String key : spec.keySet()) {
            if (!params.contains(key) && !ignoredKeys.contains(key)) {
                List<String> known = new ArrayList<>(ignoredKeys);
                known.addAll(params.keys());
                throw fail("unknown key \"" + key + "\" = " + ParamType.show(spec.get(key))
                        + DidYouMean.nearest(key, known).map(k -> " (did you mean \"" + k + "\"?)").orElse("")
                        + "; the keys are " + String.join(", ", known));
            }
        }
    }

    public IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(where + ": " + message);
    }

    /** The value of {@code param}: given, or its default; read and checked by its declaration. */
    public <T> T get(Param<T> param) {
        Object raw = spec.get(param.key());
        if (raw == null) {
            return param.defaultValue();
        }
        try {
            return param.read(raw);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    public int integer(String key) {
        return get(declared(key, ParamType.INT));
    }

    public double number(String key) {
        return get(declared(key, ParamType.NUMBER));
    }

    public List<Integer> ints(String key) {
        return get(declared(key, ParamType.INTS));
    }

    public List<Double> numbers(String key) {
        return get(declared(key, ParamType.NUMBERS));
    }

    public List<List<Double>> matrix(String key) {
        return get(declared(key, ParamType.MATRIX));
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        Param<?> p = params.find(key).orElseThrow(() -> new IllegalStateException("no parameter " + key + " declared"));
        if (!type.isInstance(p.defaultValue())) {
            throw new IllegalStateException(key + " is not a choice of " + type.getSimpleName());
        }
        return type.cast(get(p));
    }

    @SuppressWarnings("unchecked")
    private <T> Param<T> declared(String key, ParamType<T> type) {
        Param<?> p = params.find(key).orElseThrow(() -> new IllegalStateException("no parameter " + key + " declared"));
        if (p.type() != type) {
            throw new IllegalStateException(key + " is declared as " + p.type().name() + ", not " + type.name());
        }
        return (Param<T>) p;
    }
}
