package io.sparkcnn.workers.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Keeps ND4J's native threads (OpenMP and BLAS) within the cores a task was given: with several tasks in one
 * executor JVM, each would otherwise start one thread per core and they would oversubscribe the machine.
 * The settings are process-wide, which is right because every task of a job asks for the same number of cores.
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

    private static volatile int current = -1;

    static {
        NativeBackend.select();
    }

    private NativeThreads() {}

    public static void limitTo(int threads) {
        int n = Math.max(1, threads);
        if (current == n) {
            return;
        }
        synchronized (NativeThreads.class) {
            // Nd4j first: it loads the backend that NativeOpsHolder needs. OpenMP's own count is what bounds
            // ND4J's parallel ops; Environment.setMaxThreads alone does not lower it in 1.0.0-M2 (measured:
            // omp.threads stays at its start value).
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
            current = n;
        }
    }
}
