package io.sparkcnn.workers.train;

import java.io.Serializable;

/**
 * Where one worker task's time went in a round, measured with {@link System#nanoTime()} around the task's own
 * code on the executor: fetching and deserialising the broadcast state, loading it into the cached network,
 * waiting for the first minibatch (reading the round's records and decoding them), the training steps, waiting for
 * later minibatches (the prefetcher falling behind), extracting the change to return, and adding it into the
 * partition's partial sum. {@code taskNanos} is the whole task up to its result, the partial sum excepted, so
 * {@link #otherNanos()} is what the named phases leave of it (thread limits, seeding, borrowing the network).
 */
public record TaskPhases(long stateFetchNanos, long stateLoadNanos, long firstBatchNanos, long stepNanos,
                         long batchWaitNanos, long resultNanos, long partialSumNanos, long taskNanos)
        implements Serializable {
    /** A task that was not timed (results built by hand, in tests). */
    public static final TaskPhases NONE = new TaskPhases(0, 0, 0, 0, 0, 0, 0, 0);

    /** The task's time in our code on the executor, its partial sum included. */
    public long totalNanos() {
        return taskNanos + partialSumNanos;
    }

    /** What the named phases leave of the task's time. */
    public long otherNanos() {
        return Math.max(0, taskNanos - stateFetchNanos - stateLoadNanos - firstBatchNanos - stepNanos - batchWaitNanos
                - resultNanos);
    }

    /**
     * These phases with the task's parts outside the training step: the state's fetch, the wait for the round's
     * first records ({@code openNanos}, added to the first minibatch's wait) and the task's whole time.
     */
    public TaskPhases inTask(long fetchNanos, long openNanos, long wholeTaskNanos) {
        return new TaskPhases(fetchNanos, stateLoadNanos, firstBatchNanos + openNanos, stepNanos, batchWaitNanos,
                resultNanos, partialSumNanos, wholeTaskNanos);
    }

    public TaskPhases withPartialSum(long nanos) {
        return new TaskPhases(stateFetchNanos, stateLoadNanos, firstBatchNanos, stepNanos, batchWaitNanos, resultNanos,
                nanos, taskNanos);
    }
}
