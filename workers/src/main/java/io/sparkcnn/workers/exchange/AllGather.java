package io.sparkcnn.workers.exchange;

/**
 * The barrier exchange's one collective: every worker of a stage hands in one message a round and gets every
 * worker's message of that round back, in worker order. Across the network ({@link PeerMesh}) or among the tasks
 * of one JVM ({@link InProcessMesh}).
 */
public interface AllGather {
    /**
     * Every worker's message of this round, in worker order, {@code mine} at this worker's index, written into
     * {@code inbox} (one slot per worker; an implementation may read into the arrays it finds there) and returned.
     * Every worker must call it the same number of times. The arrays returned are good until this worker's next
     * call, and {@code mine} must not be written into until the call after that (see
     * {@link InProcessMesh#allGather}).
     */
    byte[][] allGather(byte[] mine, byte[][] inbox);

    /** A worker's way into its stage's all-gather: set up when its task starts, closed when it ends. */
    interface Joining extends AutoCloseable {
        /** The all-gather, waiting the first time for it to be ready. */
        AllGather mesh();

        @Override
        void close();
    }
}
