package io.sparkcnn.workers.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.RoundResult;
import io.sparkcnn.workers.train.TaskPhases;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The workers' mesh on loopback, three workers as three threads, and the codec of what it carries. */
class PeerMeshTest {
    private static final byte[] TOKEN = "a secret of this stage, 32 bytes".getBytes();

    private static byte[] message(int worker, int round) {
        // Sizes from nothing (a worker whose shard ran out) to 3 MB, far above any socket buffer.
        int size = (worker + round) % 3 == 0 ? 0 : 1_000_000 * worker + 17 * round;
        byte[] b = new byte[size];
        new Random(31L * worker + round).nextBytes(b);
        return b;
    }

    private static List<PeerMesh.Listening> listenOnLoopback(int workers) {
        List<PeerMesh.Listening> listening = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            listening.add(PeerMesh.listen("127.0.0.1"));
        }
        return listening;
    }

    @ParameterizedTest(name = "encrypted: {0}")
    @ValueSource(booleans = {false, true})
    void everyWorkerGetsEveryWorkersMessageInWorkerOrderRoundAfterRound(boolean encrypt) throws Exception {
        int n = 3;
        List<PeerMesh.Listening> listening = listenOnLoopback(n);
        List<String> addresses = listening.stream().map(PeerMesh.Listening::address).toList();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<List<byte[]>>>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int me = w;
                workers.add(pool.submit(() -> {
                    List<List<byte[]>> rounds = new ArrayList<>();
                    try (PeerMesh mesh = listening.get(me).connect(me, addresses, TOKEN, encrypt, () -> false)) {
                        for (int round = 0; round < 4; round++) {
                            rounds.add(mesh.allGather(message(me, round)));
                        }
                    }
                    return rounds;
                }));
            }
            for (int w = 0; w < n; w++) {
                List<List<byte[]>> rounds = workers.get(w).get(60, TimeUnit.SECONDS);
                for (int round = 0; round < 4; round++) {
                    for (int from = 0; from < n; from++) {
                        assertArrayEquals(message(from, round), rounds.get(round).get(from),
                                "worker " + w + ", round " + round + ", from worker " + from);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            listening.forEach(PeerMesh.Listening::close);
        }
    }

    @ParameterizedTest(name = "encrypted: {0}")
    @ValueSource(booleans = {false, true})
    void anInboxIsReadIntoAgainWhileTheMessagesKeepTheirSizeAndReplacedWhenOneChanges(boolean encrypt)
            throws Exception {
        int n = 2;
        // Rounds 0-2 of the same size, round 3 longer: its array cannot hold the message.
        int[] sizes = {300_000, 300_000, 300_000, 300_017};
        List<PeerMesh.Listening> listening = listenOnLoopback(n);
        List<String> addresses = listening.stream().map(PeerMesh.Listening::address).toList();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int me = w;
                int peer = 1 - w;
                workers.add(pool.submit(() -> {
                    byte[][] inbox = new byte[n][];
                    byte[] previous = null;
                    try (PeerMesh mesh = listening.get(me).connect(me, addresses, TOKEN, encrypt, () -> false)) {
                        for (int round = 0; round < sizes.length; round++) {
                            byte[] mine = sized(me, round, sizes[round]);
                            byte[][] all = mesh.allGather(mine, inbox);
                            assertTrue(all == inbox && all[me] == mine, "the inbox comes back, mine in my place");
                            assertArrayEquals(sized(peer, round, sizes[round]), all[peer], "round " + round);
                            if (round == 1 || round == 2) {
                                assertTrue(all[peer] == previous, "round " + round + " read into last round's array");
                            }
                            if (round == 3) {
                                assertTrue(all[peer] != previous, "a longer message got an array of its own");
                            }
                            previous = all[peer];
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            listening.forEach(PeerMesh.Listening::close);
        }
    }

    /** {@code size} random bytes, the same for the same worker and round. */
    static byte[] sized(int worker, int round, int size) {
        byte[] b = new byte[size];
        new Random(1000L * worker + round).nextBytes(b);
        return b;
    }

    @Test
    void aMeshConnectedInTheBackgroundWaitsForTheAddressesAndThenCarriesTheRounds() throws Exception {
        int n = 2;
        List<PeerMesh.Listening> listening = listenOnLoopback(n);
        List<String> addresses = listening.stream().map(PeerMesh.Listening::address).toList();
        // The addresses come late, as Spark's all-gather's do; the workers go on meanwhile.
        CountDownLatch told = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<byte[]>>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int me = w;
                workers.add(pool.submit(() -> {
                    try (PeerMesh.Connecting connecting = listening.get(me).connectInBackground(me, () -> {
                        try {
                            told.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return addresses;
                    }, TOKEN, false, () -> false)) {
                        return connecting.mesh().allGather(message(me, 1));
                    }
                }));
            }
            Thread.sleep(200);
            assertTrue(workers.stream().noneMatch(Future::isDone), "a worker exchanged before the addresses came");
            told.countDown();
            for (int w = 0; w < n; w++) {
                List<byte[]> all = workers.get(w).get(60, TimeUnit.SECONDS);
                for (int from = 0; from < n; from++) {
                    assertArrayEquals(message(from, 1), all.get(from), "worker " + w + ", from worker " + from);
                }
            }
        } finally {
            pool.shutdownNow();
            listening.forEach(PeerMesh.Listening::close);
        }
    }

    @Test
    void closingAMeshStillConnectingInterruptsTheWaitForTheAddresses() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        try (PeerMesh.Listening listening = PeerMesh.listen("127.0.0.1")) {
            PeerMesh.Connecting connecting = listening.connectInBackground(0, () -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                throw new IllegalStateException("the task failed");
            }, TOKEN, false, () -> false);
            connecting.close();
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the wait for the addresses went on");
            IllegalStateException e = assertThrows(IllegalStateException.class, connecting::mesh);
            assertEquals("the task failed", e.getMessage());
        }
    }

    @Test
    void aConnectionWithoutTheStagesTokenIsRefused() throws Exception {
        PeerMesh.Listening worker0 = PeerMesh.listen("127.0.0.1");
        String address = worker0.address();
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        // "Worker 1" is a bare server socket, so that worker 0's own connection out to it succeeds; what connects to
        // worker 0 is a stranger with the wrong token.
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket stranger = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
            out.write(new byte[TOKEN.length]);
            out.writeInt(1);
            out.flush();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> worker0.connect(0,
                    List.of(address, "127.0.0.1:" + peer.getLocalPort()), TOKEN, false, () -> false));
            assertTrue(e.getMessage().contains("without this stage's token"), e.getMessage());
        } finally {
            worker0.close();
        }
    }

    @Test
    void aWorkerThatGoesAwayMidRoundFailsTheOthersNamingIt() throws Exception {
        List<PeerMesh.Listening> listening = List.of(PeerMesh.listen("127.0.0.1"), PeerMesh.listen("127.0.0.1"));
        List<String> addresses = List.of(listening.get(0).address(), listening.get(1).address());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> leaving = pool.submit(() -> {
                listening.get(1).connect(1, addresses, TOKEN, false, () -> false).close();
                return null;
            });
            Future<RuntimeException> staying = pool.submit(() -> {
                try (PeerMesh mesh = listening.get(0).connect(0, addresses, TOKEN, false, () -> false)) {
                    leaving.get();
                    return assertThrows(RuntimeException.class, () -> mesh.allGather(new byte[100]));
                }
            });
            RuntimeException e = staying.get(60, TimeUnit.SECONDS);
            String message = e.getMessage() + " / " + e.getCause();
            assertTrue(message.contains("worker 1") || message.contains("other workers"), message);
        } finally {
            pool.shutdownNow();
            listening.forEach(PeerMesh.Listening::close);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1000, 200_000})
    void anEncryptingWorkerRefusesAMessageThatWasNotSealedWithTheStagesKey(int size) throws Exception {
        List<PeerMesh.Listening> listening = List.of(PeerMesh.listen("127.0.0.1"), PeerMesh.listen("127.0.0.1"));
        List<String> addresses = List.of(listening.get(0).address(), listening.get(1).address());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // Worker 1 knows the token (so its connection is taken) but sends its message in the clear.
            Future<?> plain = pool.submit(() -> {
                try (PeerMesh mesh = listening.get(1).connect(1, addresses, TOKEN, false, () -> false)) {
                    mesh.allGather(new byte[size]);
                } catch (RuntimeException e) {
                    // Worker 0 cannot read what it was sent and goes away: expected.
                }
                return null;
            });
            Future<RuntimeException> sealed = pool.submit(() -> {
                try (PeerMesh mesh = listening.get(0).connect(0, addresses, TOKEN, true, () -> false)) {
                    return assertThrows(RuntimeException.class, () -> mesh.allGather(new byte[1000]));
                }
            });
            RuntimeException e = sealed.get(60, TimeUnit.SECONDS);
            assertTrue(e.getMessage().contains("failed its authentication"), e.getMessage());
            plain.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            listening.forEach(PeerMesh.Listening::close);
        }
    }

    @Test
    void theCodecGivesBackTheResultBitForBit() {
        float[] params = {1.5f, -0f, Float.MIN_VALUE, Float.NaN, -3e38f};
        float[] state = new float[70_001];
        for (int i = 0; i < state.length; i++) {
            state[i] = Float.intBitsToFloat(0x3f000000 + i * 97);
        }
        RoundResult r = new RoundResult(new ModelState(params, state, 1234, 5), 96, 3, 4.25, 123_456,
                new TaskPhases(1, 2, 3, 4, 5, 6, 7, 8));
        RoundResult back = RoundResultCodec.decode(RoundResultCodec.encode(r));
        assertArrayEquals(params, back.state().params());
        assertArrayEquals(state, back.state().updaterState());
        assertEquals(r.state().iterations(), back.state().iterations());
        assertEquals(r.state().epochs(), back.state().epochs());
        assertEquals(r.examples(), back.examples());
        assertEquals(r.minibatches(), back.minibatches());
        assertEquals(r.lossSum(), back.lossSum());
        assertEquals(r.trainNanos(), back.trainNanos());
        assertEquals(r.phases(), back.phases());
        assertThrows(IllegalArgumentException.class, () -> RoundResultCodec.decode(new byte[8]),
                "something that is not a result");
    }

    @Test
    void theCodecWritesAndReadsIntoLastRoundsArraysWhenTheyFitAndIntoNewOnesWhenNot() {
        float[] params = {1.5f, -0f, Float.NaN};
        float[] state = {7f, 8f, 9f, 10f};
        RoundResult r = new RoundResult(new ModelState(params, state, 3, 1), 32, 1, 0.5, 10, TaskPhases.NONE);
        byte[] bytes = RoundResultCodec.encode(r);
        byte[] stale = new byte[bytes.length];
        Arrays.fill(stale, (byte) 0x5a);
        assertTrue(RoundResultCodec.encode(r, stale) == stale, "a buffer of the right size is written into");
        assertArrayEquals(bytes, stale);
        assertTrue(RoundResultCodec.encode(r, new byte[bytes.length - 1]).length == bytes.length,
                "a buffer of another size is not");

        float[] oldParams = {42f, 42f, 42f};
        float[] oldState = {42f, 42f, 42f, 42f};
        RoundResult back = RoundResultCodec.decode(bytes, oldParams, oldState);
        assertTrue(back.state().params() == oldParams && back.state().updaterState() == oldState);
        assertArrayEquals(params, oldParams);
        assertArrayEquals(state, oldState);
        RoundResult fresh = RoundResultCodec.decode(bytes, new float[2], null);
        assertArrayEquals(params, fresh.state().params());
        assertArrayEquals(state, fresh.state().updaterState());
    }
}
