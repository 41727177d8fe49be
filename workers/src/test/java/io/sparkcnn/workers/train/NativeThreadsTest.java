package io.sparkcnn.workers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** A task's native threads follow the cores it was given, so tasks sharing a JVM do not oversubscribe it. */
class NativeThreadsTest {
    @Test
    void limitsOpenMpAndBlasThreadsToTheTaskCores() {
        NativeThreads.limitTo(1);
        assertEquals(1, openMpThreads());
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());

        NativeThreads.limitTo(2);
        assertEquals(2, openMpThreads());
        assertEquals(2, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(2, Nd4j.factory().blas().getMaxThreads());
    }

    @Test
    void aTaskWithNoCoreCountStillGetsOneThread() {
        NativeThreads.limitTo(3);
        NativeThreads.limitTo(0);
        assertEquals(1, openMpThreads());
    }

    @Test
    void everyThreadThatAsksGetsTheCountForItsOwnParallelOps() throws Exception {
        // OpenMP keeps the count per thread: two task threads of one executor must both end up with it, or the
        // second one's reductions run with another thread count, in another order (issue 15).
        for (int threads : new int[] {1, 2}) {
            int[] seen = new int[2];
            for (int t = 0; t < seen.length; t++) {
                int slot = t;
                Thread task = new Thread(() -> {
                    NativeThreads.limitTo(threads);
                    seen[slot] = openMpThreads();
                });
                task.start();
                task.join();
            }
            assertArrayEquals(new int[] {threads, threads}, seen, "OpenMP threads on two task threads");
        }
    }

    private static int openMpThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
