package io.sparkcnn.driver.checkpoint;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.workers.train.ModelState;
import java.util.Map;

/**
 * Everything a stopped run needs to continue as if it had never stopped: the state after the last finished
 * round (parameters, updater state, iteration and epoch counters), the position of the next round (which,
 * with the job's seed, fixes the data order and every worker's random stream), and the driver's own
 * bookkeeping ({@code extras}: schedule, early stopping, history) as JSON-ready values.
 */
public record Checkpoint(Position next, ModelState state, Map<String, Object> extras) {}
