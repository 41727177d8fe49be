package io.sparkcnn.workers.data.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcnn.workers.data.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The labels of a folder dataset: class {@code i} is the {@code i}-th class name in sorted order, so the
 * mapping depends only on the names. Saved as JSON next to the model so predictions can be named later.
 */
public record ClassIndex(List<String> names) implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClassIndex {
        names = List.copyOf(names);
        if (!names.equals(new ArrayList<>(new TreeSet<>(names)))) {
            throw new IllegalArgumentException("class names must be sorted and distinct: " + names);
        }
    }

    public static ClassIndex of(Collection<String> names) {
        return new ClassIndex(new ArrayList<>(new TreeSet<>(names)));
    }

    public int size() {
        return names.size();
    }

    public String name(int label) {
        return names.get(label);
    }

    /** The label of {@code name}; throws when the class is unknown. */
    public int label(String name) {
        int label = java.util.Collections.binarySearch(names, name);
        if (label < 0) {
            throw new IllegalArgumentException("no class named '" + name + "' among " + names.size() + " classes");
        }
        return label;
    }

    /** {@code {"classes": ["cat", "dog"]}}: a list, so the label of a name is its position. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.createObjectNode()
                    .set("classes", JSON.valueToTree(names)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ClassIndex fromJson(String json, String source) {
        try {
            JsonNode classes = JSON.readTree(json).path("classes");
            if (!classes.isArray()) {
                throw new DataException(source + ": has no \"classes\" list; is it a class index file?");
            }
            List<String> names = new ArrayList<>();
            classes.forEach(node -> names.add(node.asText()));
            return new ClassIndex(names);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new DataException(source + ": is not a valid class index (" + e.getMessage() + ").", e);
        }
    }
}
