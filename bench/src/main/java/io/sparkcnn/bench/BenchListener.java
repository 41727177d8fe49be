package io.sparkcnn.bench;

import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundPhases;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.driver.progress.ConsoleReporter;
import io.sparkcnn.jobs.train.RunInstrument;
import io.sparkcnn.workers.train.ModelState;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Added to a run's listeners to measure what the benchmark reports about the averaging engine: the share of
 * each round spent outside the slowest worker's training step and where each round's time went (the phases of
 * {@link RoundPhases}: their mean seconds per round and their share of the rounds' wall time), the bytes a round
 * moves each way, and, when a
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
    private final Map<String, Long> phaseNanos = new LinkedHashMap<>();
    private RoundResultBytes resultBytes;
    private long roundsBeforeResultBytes;
    private final HeapAllocations allocations = new HeapAllocations();
    private long allocatedBytes;
    private long allocationRounds;
    private long stateBytes;

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
        if (resultBytes == null) {
            // From the second round on: the listener is added while the first round's results are already in.
            resultBytes = new RoundResultBytes();
            SparkContext.getOrCreate().addSparkListener(resultBytes);
            roundsBeforeResultBytes = rounds + 1;
        }
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
        // What the JVM allocated since the last round's end, from the second round on (the first one's count would
        // start at the JVM's start).
        long allocated = allocations.sinceLastCall();
        if (rounds > 0) {
            allocatedBytes += allocated;
            allocationRounds++;
        }
        stateBytes = round.broadcastBytes();
        rounds++;
        examples += round.examples();
        wallNanos += round.wallNanos();
        trainNanos += round.maxTrainNanos();
        overheadSum += round.overheadShare();
        round.phases().named(round.wallNanos()).forEach((name, nanos) -> phaseNanos.merge(name, nanos, Long::sum));
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

    /**
     * Per phase, its mean seconds per round and its share of the rounds' wall time ({@code listeners_before} is
     * outside that time, so its share is on top of it); the executor phases are the slowest task's of each round.
     */
    private Map<String, Map<String, Double>> phases() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        phaseNanos.forEach((name, nanos) -> {
            Map<String, Double> phase = new LinkedHashMap<>();
            phase.put("seconds_per_round", nanos / 1e9 / rounds);
            phase.put("share_of_round", (double) nanos / wallNanos);
            out.put(name, phase);
        });
        return out;
    }

    /**
     * The bytes of task results the driver received per round, measured (Spark's {@code resultSize} of every
     * result task of the rounds' jobs): the workers' states with the tree exchange, the summed slices with the
     * all-reduce. Null before a second round.
     */
    private Long driverResultBytesPerRound() {
        long measuredRounds = rounds - roundsBeforeResultBytes;
        if (resultBytes == null || measuredRounds <= 0) {
            return null;
        }
        try {
            SparkContext.getOrCreate().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
        return resultBytes.total.get() / measuredRounds;
    }

    /**
     * Sums the result sizes of the result tasks of the jobs that run the rounds (their description names a block),
     * and where those tasks' time went as Spark's task metrics and task info split it: the part of a round that
     * {@link RoundPhases} can only call "Spark's part" (scheduler delay, task deserialisation, result
     * serialisation, the driver's fetch of a large result), in the Spark UI's terms.
     */
    private static final class RoundResultBytes extends SparkListener {
        private final Set<Integer> roundStages = ConcurrentHashMap.newKeySet();
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong tasks = new AtomicLong();
        private final AtomicLong deserializeMs = new AtomicLong();
        private final AtomicLong runMs = new AtomicLong();
        private final AtomicLong resultSerializeMs = new AtomicLong();
        private final AtomicLong gettingResultMs = new AtomicLong();
        private final AtomicLong schedulerDelayMs = new AtomicLong();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String description = job.properties() == null ? null
                    : job.properties().getProperty("spark.job.description");
            if (description != null && description.contains(", block")) {
                job.stageIds().foreach(id -> roundStages.add((Integer) id));
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd task) {
            if ("ResultTask".equals(task.taskType()) && task.taskMetrics() != null
                    && roundStages.contains(task.stageId())) {
                total.addAndGet(task.taskMetrics().resultSize());
                long deserialize = task.taskMetrics().executorDeserializeTime();
                long run = task.taskMetrics().executorRunTime();
                long serialize = task.taskMetrics().resultSerializationTime();
                TaskInfo info = task.taskInfo();
                long gettingResult = info.gettingResult() ? info.finishTime() - info.gettingResultTime() : 0;
                long duration = info.finishTime() - info.launchTime();
                tasks.incrementAndGet();
                deserializeMs.addAndGet(deserialize);
                runMs.addAndGet(run);
                resultSerializeMs.addAndGet(serialize);
                gettingResultMs.addAndGet(gettingResult);
                schedulerDelayMs.addAndGet(Math.max(0, duration - run - deserialize - serialize - gettingResult));
            }
        }

        /** Mean milliseconds per result task of the rounds' jobs, by what Spark's metrics name. */
        Map<String, Object> meanPerTask() {
            long n = tasks.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tasks", n);
            m.put("scheduler_delay_ms", n == 0 ? null : (double) schedulerDelayMs.get() / n);
            m.put("task_deserialize_ms", n == 0 ? null : (double) deserializeMs.get() / n);
            m.put("executor_run_ms", n == 0 ? null : (double) runMs.get() / n);
            m.put("result_serialize_ms", n == 0 ? null : (double) resultSerializeMs.get() / n);
            m.put("getting_result_ms", n == 0 ? null : (double) gettingResultMs.get() / n);
            return m;
        }
    }

    /**
     * The heap bytes this JVM's threads allocated, as the JVM counts them per thread
     * ({@code com.sun.management.ThreadMXBean}): on a cluster the driver's alone, so that what a round allocates
     * there, over the state's bytes, counts the copies of the state the driver makes per round (in local mode the
     * executors' threads are in the same JVM and counted too). A thread that ends between two calls takes its last
     * allocations with it; the driver's threads (its main thread, Spark's result getters and RPC threads) live on.
     */
    private static final class HeapAllocations {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Called from onRound only, on the driver's training thread.
        private final Map<Long, Long> seen = new HashMap<>();

        long sinceLastCall() {
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            long total = 0;
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    Long before = seen.put(ids[i], bytes[i]);
                    total += bytes[i] - (before == null ? 0 : before);
                }
            }
            return total;
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
        m.put("round_phases", rounds == 0 ? null : phases());
        m.put("bytes_to_workers_per_round", rounds == 0 ? null : bytesToWorkers / rounds);
        m.put("bytes_from_workers_per_round", rounds == 0 ? null : bytesFromWorkers / rounds);
        m.put("driver_result_bytes_per_round", driverResultBytesPerRound());
        m.put("round_task_metrics", resultBytes == null ? null : resultBytes.meanPerTask());
        m.put("storage_memory_bytes", storageMemory < 0 ? null : storageMemory);
        m.put("driver_heap_used_peak_bytes", heapUsedPeak);
        m.put("driver_heap_max_bytes", Runtime.getRuntime().maxMemory());
        m.put("jvm_allocated_bytes_per_round", allocationRounds == 0 ? null : allocatedBytes / allocationRounds);
        m.put("state_bytes", stateBytes);
        m.putAll(race.metrics());
        return m;
    }
}
