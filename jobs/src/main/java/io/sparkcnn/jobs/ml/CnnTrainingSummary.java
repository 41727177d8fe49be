package io.sparkcnn.jobs.ml;

import java.util.List;
import java.util.Map;

/**
 * What a {@link CnnClassifier} fit measured, as Spark ML's training summaries expose it: the run's
 * {@code metrics.json} (history per epoch, test accuracy and loss, per-class scores, confusion matrix, speed) and
 * the folder the run wrote (model.zip, metrics.json, report.html, checkpoints/).
 */
public final class CnnTrainingSummary {
    private final Map<String, Object> metrics;
    private final String runDir;

    CnnTrainingSummary(Map<String, Object> metrics, String runDir) {
        this.metrics = Map.copyOf(withoutNulls(metrics));
        this.runDir = runDir;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> metrics) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(metrics);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    /** Every entry of the run's metrics.json. */
    public Map<String, Object> metrics() {
        return metrics;
    }

    /** Accuracy on the held-out test rows (data.test-fraction), else the validation rows, else the training rows. */
    public double accuracy() {
        return ((Number) metrics.get(evaluatedOn() + "_accuracy")).doubleValue();
    }

    /** Which rows {@link #accuracy} was measured on: "test", "validation" or "training". */
    public String evaluatedOn() {
        return String.valueOf(metrics.getOrDefault("evaluated_on", "test"));
    }

    /** One entry per epoch: loss, accuracies, learning rate, images per second. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> history() {
        return (List<Map<String, Object>>) metrics.get("history");
    }

    public double trainImagesPerSecond() {
        return ((Number) metrics.get("train_images_per_second")).doubleValue();
    }

    /** The run's folder on the driver, or null for a model loaded from a saved one. */
    public String runDir() {
        return runDir;
    }
}
