package io.sparkcnn.bench;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.train.RunInstrument;
import io.sparkcnn.workers.train.ModelState;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.SparkContext;

/**
 * Added to a run's listeners to measure what the benchmark reports about the averaging engine: the share of
 * each round spent outside the slowest worker's training step, the bytes a round moves each way, and, when a
 * {@link Race} is on, the test accuracy against the training clock (the round wall times, evaluation excluded),
 * and the block managers' storage memory (for the larger-than-memory row, against its data).
 */
final class BenchListener implements RunInstrument {
    private final Race.Log race;
    private ToDoubleFunction<ModelState> testAccuracy;
    private final ConsoleReporter reporter;

    private long rounds;
    private long examples;
    private long wallNanos;
    private long trainNanos;
    private double overheadSum;
    private long bytesToWorkers;
    private long bytesFromWorkers;
    private boolean stop;
    private long storageMemory = -1;
    private long heapUsedPeak;

    BenchListener(Race race, ConsoleReporter reporter) {
        this.race = new Race.Log(race);
        this.reporter = reporter;
    }

    @Override
    public void attach(ToDoubleFunction<ModelState> testAccuracy) {
        this.testAccuracy = testAccuracy;
    }

    @Override
    public void onRound(RoundStats round, ModelState state, Position next) {
        if (storageMemory < 0) {
            // The run's context is active during its rounds: this returns it. Maximum memory for storage, per block
            // manager (in local mode the one of the driver, which is the executor).
            storageMemory = 0;
            SparkContext.getOrCreate().getExecutorMemoryStatus().values()
                    .foreach(maxAndFree -> storageMemory += (Long) maxAndFree._1());
        }
        // The heap in use at each round's end, garbage included: an upper bound of what the run needs, driver and
        // (in local mode) executor together.
        heapUsedPeak = Math.max(heapUsedPeak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        rounds++;
        examples += round.examples();
        wallNanos += round.wallNanos();
        trainNanos += round.maxTrainNanos();
        overheadSum += round.overheadShare();
        // Every worker fetches the broadcast state once and returns a state of the same size to the aggregation.
        bytesToWorkers += round.broadcastBytes() * round.workers();
        bytesFromWorkers += round.broadcastBytes() * round.workers();
        if (race.due(examples)) {
            double accuracy = testAccuracy.applyAsDouble(state);
            reporter.say("race: test accuracy %.4f after %.1f s of training (%,d images)", accuracy, wallNanos / 1e9,
                    examples);
            stop = race.record(wallNanos / 1e9, examples, accuracy);
        } else if (race.outOfTime(wallNanos / 1e9)) {
            stop = race.record(wallNanos / 1e9, examples, testAccuracy.applyAsDouble(state));
        }
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds_run", rounds);
        m.put("averaging_overhead_share", rounds == 0 ? null : overheadSum / rounds);
        m.put("averaging_overhead_share_of_time", wallNanos == 0 ? null : 1.0 - (double) trainNanos / wallNanos);
        m.put("mean_round_seconds", rounds == 0 ? null : wallNanos / 1e9 / rounds);
        m.put("bytes_to_workers_per_round", rounds == 0 ? null : bytesToWorkers / rounds);
        m.put("bytes_from_workers_per_round", rounds == 0 ? null : bytesFromWorkers / rounds);
        m.put("storage_memory_bytes", storageMemory < 0 ? null : storageMemory);
        m.put("driver_heap_used_peak_bytes", heapUsedPeak);
        m.put("driver_heap_max_bytes", Runtime.getRuntime().maxMemory());
        m.putAll(race.metrics());
        return m;
    }
}
