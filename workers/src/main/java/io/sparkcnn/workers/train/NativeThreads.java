package io.sparkcnn.workers.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Keeps ND4J's native threads (OpenMP and BLAS) within the cores a task was given: with several tasks in one
 * executor JVM, each would otherwise start one thread per core and they would oversubscribe the machine.
 * ND4J's and BLAS's limits are process-wide, which is right because every task of a job asks for the same
 * number of cores; OpenMP's thread count is not: libgomp keeps it per calling thread, so it is set on every
 * thread that runs a task. A task whose thread kept the start value (one per core) would run its parallel
 * reductions (oneDNN's convolution gradients among them) with another thread count and so in another order:
 * runs of the same job and seed then ended with different parameters, depending on which executor thread ran
 * which partition (issue 15).
 */
public final class NativeThreads {
    /**
     * The OpenMP wait policy every JVM of a job should start with ({@code OMP_WAIT_POLICY}, read once by libgomp
     * when the native library loads, so it has to be in the process's environment: scripts/lib/common.sh exports
     * it and the jobs put it in {@code spark.executorEnv}). ND4J's OpenMP threads otherwise spin between parallel
     * regions, and on a shared machine a spinning thread that loses its core stalls every barrier: measured on
     * the project's 2 cores with another JVM busy at nice 19, LeNet-5 training with 2 threads ran at 56-124
     * images/s with the default (active) policy and 379-443 with PASSIVE, alternating runs; on the idle machine
     * PASSIVE was 1.10x.
     */
    public static final String OMP_WAIT_POLICY = "PASSIVE";

    /** The process-wide limits last set; OpenMP's per-thread count is checked on the calling thread instead. */
    private static volatile int current = -1;

    static {
        NativeBackend.select();
    }

    private NativeThreads() {}

    /** Limits the native threads of the calling thread's work to {@code threads} (at least one). */
    public static void limitTo(int threads) {
        int n = Math.max(1, threads);
        if (current != n) {
            synchronized (NativeThreads.class) {
                // Nd4j first: it loads the backend that NativeOpsHolder needs. OpenMP's own count is what bounds
                // ND4J's parallel ops; Environment.setMaxThreads alone does not lower it in 1.0.0-M2 (measured:
                // omp.threads stays at its start value).
                Nd4j.getEnvironment().setMaxThreads(n);
                Nd4j.getEnvironment().setMaxMasterThreads(n);
                Nd4j.factory().blas().setMaxThreads(n);
                current = n;
            }
        }
        // omp_set_num_threads only changes the calling thread's count (measured: a second thread still had 2
        // after the first one set 1), so every task thread sets its own; asking first costs one native call.
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        if (ops.ompGetMaxThreads() != n) {
            ops.setOmpNumThreads(n);
        }
    }
}
