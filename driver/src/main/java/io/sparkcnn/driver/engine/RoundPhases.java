package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.train.TaskPhases;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one averaging round's wall time went, measured with {@link System#nanoTime()} around the round's code: on
 * the driver, creating (and afterwards destroying) the state's broadcast, the Spark job from its submission to the
 * summed result, the driver's final merge of the partial sums and its averaging (the average, the spread and the
 * divergence checks); on the executors, the phases of the round's slowest task ({@link TaskPhases}), the one the
 * job waited for. What the job took beyond that task and the driver's merge is Spark's part: scheduling, task
 * launch, closure and task (de)serialisation, serialising and moving the results (and, with enough workers for the
 * tree to have a level on the executors, that level's merges).
 *
 * <p>{@code listenersBeforeNanos} is the listeners' time after the previous round (checkpoints, progress, the
 * benchmark's evaluations): it falls between that round's end and this one's start, outside both wall times, and is
 * 0 for the first round of a {@code fit}.
 */
public record RoundPhases(long broadcastNanos, long jobNanos, long driverMergeNanos, long averagingNanos,
                          long listenersBeforeNanos, TaskPhases slowestTask) {
    /** A round that was not timed phase by phase (stats built by hand, in tests). */
    public static final RoundPhases NONE = new RoundPhases(0, 0, 0, 0, 0, TaskPhases.NONE);

    /** The phase names of {@link #named}, in the order a round runs them; every one but the last is inside the wall. */
    public static final List<String> NAMES = List.of("broadcast", "spark", "state_fetch",
            "state_load", "first_batch", "steps", "batch_wait", "result", "partial_sum", "task_other", "driver_merge",
            "averaging", "other", "listeners_before");

    /** Spark's part of the job: the job beyond the slowest task's time in our code and the driver's merge. */
    public long sparkNanos() {
        return Math.max(0, jobNanos - slowestTask.totalNanos() - driverMergeNanos);
    }

    /**
     * Every phase's nanoseconds, named as {@link #NAMES}: those up to {@code other} add up to {@code wallNanos}
     * ({@code other} is what the named ones leave of it: building the round's RDD and stats, the job's description);
     * {@code listeners_before} is outside it.
     */
    public Map<String, Long> named(long wallNanos) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("broadcast", broadcastNanos);
        m.put("spark", sparkNanos());
        m.put("state_fetch", slowestTask.stateFetchNanos());
        m.put("state_load", slowestTask.stateLoadNanos());
        m.put("first_batch", slowestTask.firstBatchNanos());
        m.put("steps", slowestTask.stepNanos());
        m.put("batch_wait", slowestTask.batchWaitNanos());
        m.put("result", slowestTask.resultNanos());
        m.put("partial_sum", slowestTask.partialSumNanos());
        m.put("task_other", slowestTask.otherNanos());
        m.put("driver_merge", driverMergeNanos);
        m.put("averaging", averagingNanos);
        long inside = m.values().stream().mapToLong(Long::longValue).sum();
        m.put("other", Math.max(0, wallNanos - inside));
        m.put("listeners_before", listenersBeforeNanos);
        return m;
    }
}
