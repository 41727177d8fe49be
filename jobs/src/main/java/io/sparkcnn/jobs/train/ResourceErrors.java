package io.sparkcnn.jobs.train;

import io.sparkcnn.jobs.config.JobConfig;
import java.util.List;

/**
 * Turns the resource failures Spark and the JVM report in their own terms (an executor's
 * {@code OutOfMemoryError} or its exit code 52, a full disk) into an error that names the cause and the
 * setting to change. A run stopped this way keeps its checkpoints: each is written whole or not at all.
 */
final class ResourceErrors {
    /** Spark's exit code for an executor killed by an {@code OutOfMemoryError} (SparkExitCode.OOM). */
    private static final String OOM_EXIT = "exited with code 52";
    /**
     * How an executor's off-heap (ND4J/JavaCPP) memory running out is worded when the task fails without the
     * JVM dying: JavaCPP's limits (org.bytedeco.javacpp.maxbytes / maxphysicalbytes, by default the heap size)
     * and libnd4j's own allocation failure. Both grow with the batch size just like the heap does.
     */
    private static final List<String> OFF_HEAP = List.of("Physical memory usage is too high", "Cannot allocate new",
            "Failed to allocate", "std::bad_alloc");

    private ResourceErrors() {}

    static RuntimeException explain(RuntimeException e, JobConfig job, String executorMemory) {
        return explain(e, job, executorMemory, "");
    }

    /**
     * As {@link #explain(RuntimeException, JobConfig, String)}, also reading what the cluster reported during the
     * run ({@code ClusterEvents.describe()}): when executors die of OutOfMemoryError, their shuffle output goes
     * with them and Spark aborts the job on the resulting fetch failures, whose message no longer says why.
     */
    static RuntimeException explain(RuntimeException e, JobConfig job, String executorMemory, String clusterEvents) {
        String all = messages(e) + clusterEvents;
        if (all.contains("OutOfMemoryError") || all.contains(OOM_EXIT) || OFF_HEAP.stream().anyMatch(all::contains)) {
            return new IllegalStateException("an executor ran out of memory training batches of "
                    + job.training().batchSizePerWorker() + " images: lower training.batch-size-per-worker, or"
                    + " give the executors more memory (spark.executor.memory, now " + executorMemory
                    + "; scripts/submit --executor-memory). The last checkpoint is intact: continue with --resume.",
                    e);
        }
        if (all.contains("No space left on device")) {
            return new IllegalStateException("a disk is full (" + firstLineWith(all, "No space left on device")
                    + "): free space there or pass another --out; the last complete checkpoint is intact, continue"
                    + " with --resume.", e);
        }
        return e;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    private static String firstLineWith(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).findFirst().orElse(part).trim();
    }
}
