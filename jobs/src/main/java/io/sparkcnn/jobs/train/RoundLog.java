package io.sparkcnn.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparkcnn.driver.engine.RoundPhases;
import io.sparkcnn.driver.engine.RoundStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every averaging round's loss, speed and learning rate, for the report's per-round curves, where it ended (the
 * blocks of tau steps of its epoch done), the blocks it covered and the relative spread of the workers' updates
 * (adaptive averaging), and where its time went ({@code phase_seconds}: one column of seconds per phase of
 * {@link RoundPhases#NAMES}); kept as columns (one array per quantity) so that metrics.json and the checkpoints stay
 * compact.
 */
final class RoundLog {
    private final List<Integer> epoch = new ArrayList<>();
    private final List<Integer> blocksDone = new ArrayList<>();
    private final List<Integer> blocksInEpoch = new ArrayList<>();
    private final List<Float> loss = new ArrayList<>();
    private final List<Double> imagesPerSecond = new ArrayList<>();
    private final List<Float> learningRate = new ArrayList<>();
    private final List<Integer> blocks = new ArrayList<>();
    private final List<Float> spread = new ArrayList<>();
    private final Map<String, List<Float>> phaseSeconds = new LinkedHashMap<>();

    RoundLog() {
        RoundPhases.NAMES.forEach(name -> phaseSeconds.put(name, new ArrayList<>()));
    }

    void add(RoundStats r) {
        epoch.add(r.epoch());
        blocksDone.add(r.blocksDone());
        blocksInEpoch.add(r.blocksInEpoch());
        loss.add(finite((float) r.meanLoss()));
        imagesPerSecond.add(RunMetrics.finite(Math.round(r.imagesPerSecond() * 10) / 10.0));
        learningRate.add(finite((float) r.learningRate()));
        blocks.add(r.blocks());
        spread.add(finite((float) r.spread()));
        r.phases().named(r.wallNanos()).forEach((name, nanos) -> phaseSeconds.get(name).add(nanos / 1e9f));
    }

    /** The columns as metrics.json and the checkpoints hold them; JSON has no NaN, so a missing value is null. */
    Columns columns() {
        return new Columns(nullable(epoch), nullable(blocksDone), nullable(blocksInEpoch), nullable(loss),
                nullable(imagesPerSecond), nullable(learningRate), nullable(blocks), nullable(spread),
                phaseColumns());
    }

    private Map<String, List<Float>> phaseColumns() {
        Map<String, List<Float>> copy = new LinkedHashMap<>();
        phaseSeconds.forEach((name, column) -> copy.put(name, nullable(column)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Continues the log of a resumed run from its checkpoint. */
    void restore(Columns saved) {
        epoch.addAll(saved.epoch());
        blocksDone.addAll(saved.blocksDone());
        blocksInEpoch.addAll(saved.blocksInEpoch());
        loss.addAll(saved.loss());
        imagesPerSecond.addAll(saved.imagesPerSecond());
        learningRate.addAll(saved.learningRate());
        blocks.addAll(saved.blocks());
        spread.addAll(saved.spread());
        // The checkpoints of runs from before the phases were timed have none: their rounds get nulls.
        phaseSeconds.forEach((name, column) -> column.addAll(saved.phaseSeconds().getOrDefault(name,
                java.util.Collections.nCopies(saved.epoch().size(), null))));
    }

    /**
     * The log's columns, one entry per round each, named and ordered as in metrics.json's {@code rounds};
     * {@code phaseSeconds} holds a column per phase ({@link RoundPhases#named}), empty in the checkpoints of runs
     * from before the phases were timed.
     */
    @JsonPropertyOrder({"epoch", "blocks_done", "blocks_in_epoch", "loss", "images_per_second", "learning_rate", "blocks", "spread",
            "phase_seconds"})
    record Columns(
            List<Integer> epoch,
            @JsonProperty("blocks_done") List<Integer> blocksDone,
            @JsonProperty("blocks_in_epoch") List<Integer> blocksInEpoch,
            List<Float> loss,
            @JsonProperty("images_per_second") List<Double> imagesPerSecond,
            @JsonProperty("learning_rate") List<Float> learningRate,
            List<Integer> blocks,
            List<Float> spread,
            @JsonProperty("phase_seconds") Map<String, List<Float>> phaseSeconds) {
        Columns {
            phaseSeconds = phaseSeconds == null ? Map.of() : phaseSeconds;
            List<List<?>> all = java.util.Arrays.asList(epoch, blocksDone, blocksInEpoch, loss, imagesPerSecond,
                    learningRate, blocks, spread);
            if (all.contains(null) || all.stream().mapToInt(List::size).distinct().count() > 1) {
                throw new IllegalArgumentException("the round log needs its 8 columns, one value per round each: "
                        + all.stream().map(c -> c == null ? "missing" : Integer.toString(c.size())).toList());
            }
            for (Map.Entry<String, List<Float>> phase : phaseSeconds.entrySet()) {
                if (phase.getValue() == null || phase.getValue().size() != epoch.size()) {
                    throw new IllegalArgumentException("the round log's phase_seconds." + phase.getKey() + " needs one"
                            + " value per round (" + epoch.size() + "), not "
                            + (phase.getValue() == null ? "none" : phase.getValue().size()));
                }
            }
        }
    }

    /** An unmodifiable copy that, unlike {@link List#copyOf}, keeps nulls (the values that were not finite). */
    private static <T> List<T> nullable(List<T> values) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static Float finite(float v) {
        return Float.isFinite(v) ? v : null;
    }
}
