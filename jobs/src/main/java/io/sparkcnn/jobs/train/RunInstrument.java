package io.sparkcnn.jobs.train;

import io.sparkcnn.driver.engine.TrainingListener;
import io.sparkcnn.workers.train.ModelState;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A measuring device added to a run from outside the product (the benchmark's race and round costs): one more
 * listener on the engine, given a way to score a state on the test set, whose measurements go into
 * {@code metrics.json}.
 */
public interface RunInstrument extends TrainingListener {
    /** Called once Spark is up and the test set distributed, before the first round. */
    void attach(ToDoubleFunction<ModelState> testAccuracy);

    /** What it measured, merged into the run's metrics. */
    Map<String, Object> metrics();
}
