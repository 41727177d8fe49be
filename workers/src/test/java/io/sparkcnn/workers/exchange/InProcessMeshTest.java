package io.sparkcnn.workers.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The in-process all-gather, three workers as three threads of one JVM, as local mode's tasks are. */
class InProcessMeshTest {

    private static byte[] message(int worker, int round) {
        return PeerMeshTest.sized(worker, round, (worker + round) % 3 == 0 ? 0 : 1000 * worker + 17 * round);
    }

    @Test
    void everyWorkerGetsEveryWorkersMessageInWorkerOrderRoundAfterRoundAndTheStageIsForgotten() throws Exception {
        int n = 3;
        int rounds = 50;
        int before = InProcessMesh.openStages();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int me = w;
                workers.add(pool.submit(() -> {
                    try (InProcessMesh mesh = InProcessMesh.join("stage-a/0", n, me, () -> false)) {
                        byte[][] inbox = new byte[n][];
                        for (int round = 0; round < rounds; round++) {
                            // Worker 0 dawdles now and then: the others must wait for it, not read a stale slot.
                            if (me == 0 && round % 7 == 0) {
                                Thread.sleep(5);
                            }
                            byte[][] all = mesh.mesh().allGather(message(me, round), inbox);
                            for (int from = 0; from < n; from++) {
                                assertArrayEquals(message(from, round), all[from],
                                        "worker " + me + ", round " + round + ", from worker " + from);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertEquals(before, InProcessMesh.openStages(), "every worker closed: the stage is gone");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerWaitingForOneThatNeverComesStopsOnceItsTaskIsKilled() throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RuntimeException> waiting = pool.submit(() -> {
                try (InProcessMesh mesh = InProcessMesh.join("stage-b/0", 2, 0, killed::get)) {
                    return assertThrows(RuntimeException.class, () -> mesh.allGather(new byte[10], new byte[2][]));
                }
            });
            Thread.sleep(300);
            assertTrue(!waiting.isDone(), "it waits for worker 1");
            killed.set(true);
            RuntimeException e = waiting.get(10, TimeUnit.SECONDS);
            assertTrue(e.getMessage().contains("killed"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerOfAnotherStageSizeIsRefused() {
        try (InProcessMesh first = InProcessMesh.join("stage-c/0", 2, 0, () -> false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InProcessMesh.join("stage-c/0", 3, 1, () -> false));
            assertTrue(e.getMessage().contains("of 2 workers"), e.getMessage());
        }
    }

    @Test
    void theDriverForgetsTheAttemptsOfAStageWhoseWorkersDidNotAllCome() {
        byte[] token = "the secret of a failed epoch....".getBytes();
        int before = InProcessMesh.openStages();
        InProcessMesh.join(token, 0, 2, 0, () -> true).close();
        InProcessMesh.join(token, 1, 2, 1, () -> true).close();
        assertEquals(before + 2, InProcessMesh.openStages(), "each attempt lacks a worker, so stays");
        InProcessMesh.forget("another epoch's secret..........".getBytes());
        assertEquals(before + 2, InProcessMesh.openStages(), "another epoch's forgetting leaves them");
        InProcessMesh.forget(token);
        assertEquals(before, InProcessMesh.openStages());
    }
}
