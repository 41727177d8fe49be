package io.sparkcnn.driver.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a run's {@link StatefulListener}s as a checkpoint holds them: each listener's record, serialised
 * to JSON under the listener's name, and the model-sized weights some of them keep ({@link
 * StatefulListener#weights()}), as raw floats under the same name. A listener reads back only its own entries,
 * into its own record type.
 */
public final class ListenerStates {
    public static final ListenerStates NONE = new ListenerStates(Map.of(), Map.of());

    // A state may hold NaN (a diverged loss) or an infinite 'best so far'; Jackson writes them as strings and
    // reads them back into doubles.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private final Map<String, JsonNode> byName;
    private final Map<String, float[]> weights;

    private ListenerStates(Map<String, JsonNode> byName, Map<String, float[]> weights) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** The current states of the stateful ones among {@code listeners}, in their order. */
    public static ListenerStates of(List<?> listeners) {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Object listener : listeners) {
            if (listener instanceof StatefulListener<?> stateful) {
                if (states.put(stateful.name(), JSON.valueToTree(stateful.state())) != null) {
                    throw new IllegalArgumentException("two listeners of the run are named '" + stateful.name()
                            + "': a checkpoint could keep only one of their states; give each its own name.");
                }
                float[] w = stateful.weights();
                if (w != null) {
                    weights.put(stateful.name(), w.clone());
                }
            }
        }
        return new ListenerStates(states, weights);
    }

    /** The listener names that have a state here. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The state saved under {@code name}, read as {@code type}; empty when there is none. */
    public <S extends Record> Optional<S> get(String name, Class<S> type) {
        JsonNode node = byName.get(name);
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.treeToValue(node, type));
        } catch (JsonProcessingException e) {
            throw unreadable(name, type, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw unreadable(name, type, e.getMessage(), e);
        }
    }

    private static IllegalArgumentException unreadable(String name, Class<?> type, String why, Exception cause) {
        return new IllegalArgumentException("the checkpoint's state of listener '" + name + "' does not read as "
                + type.getSimpleName() + " (" + why + "); start the run again rather than resume it.", cause);
    }

    /** The weights saved under {@code name} (a copy), empty when there are none. */
    public Optional<float[]> weights(String name) {
        return Optional.ofNullable(weights.get(name)).map(float[]::clone);
    }

    /**
     * Gives {@code listener} its saved state, then its saved weights if it had any; false, leaving it as it is (a
     * fresh start), when the checkpoint has no state for it (a listener the earlier run did not have, such as early
     * stopping switched on at the resume).
     */
    public <S extends Record> boolean restore(StatefulListener<S> listener) {
        Optional<S> state = get(listener.name(), listener.stateType());
        state.ifPresent(listener::restore);
        if (state.isPresent()) {
            weights(listener.name()).ifPresent(listener::restoreWeights);
        }
        return state.isPresent();
    }

    byte[] toJson() throws JsonProcessingException {
        ObjectNode all = JSON.createObjectNode();
        byName.forEach(all::set);
        return JSON.writeValueAsBytes(all);
    }

    /** The weights by listener name, in their order, as {@link CheckpointStore} writes them. */
    Map<String, float[]> allWeights() {
        return weights;
    }

    static ListenerStates fromJson(byte[] json, Map<String, float[]> weights) throws IOException {
        JsonNode all = JSON.readTree(json);
        if (all == null || !all.isObject()) {
            throw new IOException("the listener states are not a JSON object");
        }
        Map<String, JsonNode> states = new LinkedHashMap<>();
        all.fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue()));
        for (String name : weights.keySet()) {
            if (!states.containsKey(name)) {
                throw new IOException("weights are saved for listener '" + name + "', which has no state");
            }
        }
        return new ListenerStates(states, weights);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ListenerStates other) || !other.byName.equals(byName)
                || !other.weights.keySet().equals(weights.keySet())) {
            return false;
        }
        return weights.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.weights.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return byName.hashCode() * 31 + weights.keySet().hashCode();
    }

    @Override
    public String toString() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        weights.forEach((name, w) -> sizes.put(name, w.length));
        return weights.isEmpty() ? byName.toString() : byName + " with weights " + sizes;
    }
}
