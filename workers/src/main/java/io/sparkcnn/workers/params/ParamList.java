package io.sparkcnn.workers.params;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parameters of one configuration object, in the order the help lists them, found by key. */
public final class ParamList {
    private final Map<String, Param<?>> byKey = new LinkedHashMap<>();

    public ParamList(List<Param<?>> params) {
        for (Param<?> p : params) {
            if (byKey.put(p.key(), p) != null) {
                throw new IllegalArgumentException(p.key() + " is declared twice");
            }
        }
    }

    public List<Param<?>> all() {
        return List.copyOf(byKey.values());
    }

    public List<String> keys() {
        return List.copyOf(byKey.keySet());
    }

    public Optional<Param<?>> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** The declared key a misspelt one most likely meant, by the one {@link DidYouMean} rule. */
    public Optional<String> nearest(String key) {
        return DidYouMean.nearest(key, byKey.keySet());
    }
}
