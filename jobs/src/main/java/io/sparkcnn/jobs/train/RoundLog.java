package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.engine.RoundStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every averaging round's loss, speed and learning rate, for the report's per-round curves, and the units of
 * tau steps it covered and the relative spread of the workers' updates (adaptive averaging); kept as columns
 * (one array per quantity) so that metrics.json and the checkpoints stay compact.
 */
final class RoundLog {
    private static final List<String> COLUMNS = List.of("epoch", "round", "rounds_in_epoch", "loss",
            "images_per_second", "learning_rate", "units", "spread");

    private final Map<String, List<Number>> columns = new LinkedHashMap<>();

    RoundLog() {
        COLUMNS.forEach(c -> columns.put(c, new ArrayList<>()));
    }

    void add(RoundStats r) {
        columns.get("epoch").add(r.epoch());
        columns.get("round").add(r.round());
        columns.get("rounds_in_epoch").add(r.roundsInEpoch());
        columns.get("loss").add(finite((float) r.meanLoss()));
        columns.get("images_per_second").add(RunMetrics.finite(Math.round(r.imagesPerSecond() * 10) / 10.0));
        columns.get("learning_rate").add(finite((float) r.learningRate()));
        columns.get("units").add(r.units());
        columns.get("spread").add(finite((float) r.spread()));
    }

    /** The columns as metrics.json and the checkpoints hold them; JSON has no NaN, so a missing value is null. */
    Map<String, List<Number>> columns() {
        return columns;
    }

    /**
     * Continues the log of a resumed run from its checkpoint (older checkpoints have none, or lack the newer
     * columns, which are padded with nulls so that every column stays one entry per round).
     */
    @SuppressWarnings("unchecked")
    void restore(Object saved) {
        if (saved instanceof Map<?, ?> map) {
            COLUMNS.forEach(c -> {
                Object values = map.get(c);
                if (values instanceof List<?> list) {
                    columns.get(c).addAll((List<Number>) list);
                }
            });
            int rounds = columns.get("epoch").size();
            columns.values().forEach(column -> {
                while (column.size() < rounds) {
                    column.add(null);
                }
            });
        }
    }

    private static Number finite(float v) {
        return Float.isFinite(v) ? v : null;
    }
}
