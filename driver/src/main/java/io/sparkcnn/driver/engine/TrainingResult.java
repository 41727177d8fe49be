package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.ModelState;
import java.util.List;

/** The trained state and the per-epoch history of a run. */
public record TrainingResult(ModelState state, List<EpochStats> epochs) {
    public long examples() {
        return epochs.stream().mapToLong(EpochStats::examples).sum();
    }

    public double trainingSeconds() {
        return epochs.stream().mapToDouble(EpochStats::seconds).sum();
    }
}
