package io.sparkcnn.workers.exchange;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A full mesh of TCP connections among the workers of one barrier stage, over which each round's changes go from
 * every worker to every other ({@link #allGather}). Spark's barrier execution finds the workers and their
 * addresses (one {@code BarrierTaskContext.allGather} of {@link Listening#address()}s an epoch), but its own
 * all-gather cannot carry the rounds: it polls for its reply once a second, so every round would cost a second
 * (measured: 1,000.6 ms per call in local mode). Horovod and TorchDistributor use barrier mode the same way: Spark
 * gathers the addresses, the framework moves the tensors.
 *
 * <p>Every connection starts with the stage's token, which the driver sent inside the task (Spark's authenticated
 * channel): a connection without it is refused. With {@code encrypt} (the engine sets it where Spark encrypts its
 * own traffic) every message is sealed with AES-256-GCM under that token as the key, chunk by chunk, each chunk
 * with its own nonce (sender, receiver, message number, chunk), so a message read, changed, cut or replayed on the
 * way fails its check ({@link #sendSealed} says why in chunks). A read waits at most a second at a time and then
 * asks {@code cancelled}, so that a task Spark kills (a peer failed) stops waiting for a peer that is gone.
 */
public final class PeerMesh implements AllGather, AutoCloseable {
    private static final int TIMEOUT_MS = 1000;
    /** The plaintext bytes of a sealed message's chunk ({@link #sendSealed}), once this JVM's cipher is warm. */
    private static final int CHUNK = 1 << 16;
    /** The chunks of a JVM whose cipher is not compiled yet: more calls per byte, so that it is compiled sooner. */
    private static final int WARMING_CHUNK = 1 << 13;
    /**
     * The chunks this JVM seals and opens in {@link #WARMING_CHUNK}s before it goes over to {@link #CHUNK}s: about
     * 40 MB, four LeNet-5 rounds, after which the JIT has compiled AES-GCM's AES-NI path (measured on JDK 17 on one
     * core: 64 KB chunks from the start took 20 rounds of a 5.2 MB message sealed and opened to get there, 2.5 s
     * in all; 8 KB chunks for the first four rounds, 0.7 s).
     */
    private static final long WARMING_CHUNKS = 5_000;
    /** Chunks sealed and opened in this JVM, by every mesh: how warm its cipher is. */
    private static final AtomicLong CHUNKS_CRYPTED = new AtomicLong();
    /** AES-GCM's tag: 16 bytes per chunk. */
    private static final int TAG = 16;
    private final int me;
    private final List<Socket> sockets;
    /** To peer j, or null at j == me. */
    private final DataOutputStream[] to;
    /** From peer j, or null at j == me. */
    private final DataInputStream[] from;
    private final BooleanSupplier cancelled;
    private final ExecutorService receivers;
    /** The key of the sealed messages, or null when they go as they are. */
    private final SecretKeySpec key;
    /** The messages sent to and received from each peer so far: the nonces' message numbers. */
    private final int[] sent;
    private final int[] received;

    private PeerMesh(int me, List<Socket> sockets, DataOutputStream[] to, DataInputStream[] from,
                     BooleanSupplier cancelled, SecretKeySpec key) {
        this.me = me;
        this.sockets = sockets;
        this.to = to;
        this.from = from;
        this.cancelled = cancelled;
        this.key = key;
        this.sent = new int[to.length];
        this.received = new int[to.length];
        this.receivers = Executors.newFixedThreadPool(Math.max(1, to.length - 1), r -> {
            Thread t = new Thread(r, "peer-mesh-receiver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens this worker's server socket on {@code host} (an address of this machine) at a free port. */
    public static Listening listen(String host) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            server.setSoTimeout(TIMEOUT_MS);
            return new Listening(host, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a server socket on " + host + " for the barrier exchange", e);
        }
    }

    /** A worker's open server socket, before the mesh is connected. */
    public static final class Listening implements AutoCloseable {
        private final String host;
        private final ServerSocket server;

        private Listening(String host, ServerSocket server) {
            this.host = host;
            this.server = server;
        }

        /** Where the other workers connect to: {@code host:port}. */
        public String address() {
            return host + ":" + server.getLocalPort();
        }

        /**
         * Connects worker {@code me} to every other of {@code addresses} (index = worker) and accepts their
         * connections, each introduced by {@code token} and the worker's index; with {@code encrypt}, the messages
         * are sealed with {@code token} as their key (32 bytes).
         */
        public PeerMesh connect(int me, List<String> addresses, byte[] token, boolean encrypt,
                                BooleanSupplier cancelled) {
            int n = addresses.size();
            if (encrypt && n > 1 << 16) {
                throw new IllegalArgumentException("the barrier exchange's sealed mesh numbers its workers in 16 bits:"
                        + " a stage of " + n + " workers is too large for it");
            }
            DataOutputStream[] to = new DataOutputStream[n];
            DataInputStream[] from = new DataInputStream[n];
            List<Socket> sockets = new ArrayList<>();
            try {
                // The listen backlog holds these connections until the peer accepts them, so connecting out
                // first and accepting afterwards cannot deadlock.
                for (int j = 0; j < n; j++) {
                    if (j == me) {
                        continue;
                    }
                    String address = addresses.get(j);
                    int colon = address.lastIndexOf(':');
                    Socket s = new Socket();
                    sockets.add(s);
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(address.substring(0, colon),
                            Integer.parseInt(address.substring(colon + 1))), 30_000);
                    to[j] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                    to[j].write(token);
                    to[j].writeInt(me);
                    to[j].flush();
                }
                for (int accepted = 0; accepted < n - 1; ) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (SocketTimeoutException e) {
                        checkCancelled(cancelled);
                        continue;
                    }
                    sockets.add(s);
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(TIMEOUT_MS);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                    byte[] theirs = new byte[token.length];
                    readFully(in, theirs, 0, theirs.length, cancelled, "a connecting worker");
                    if (!MessageDigest.isEqual(theirs, token)) {
                        s.close();
                        throw new IllegalStateException("a connection to worker " + me + "'s barrier exchange at "
                                + address() + " came without this stage's token: something other than a worker of"
                                + " this job connected; the task fails and Spark runs the stage again");
                    }
                    int peer = readInt(in, cancelled, "a connecting worker");
                    if (peer < 0 || peer >= n || peer == me || from[peer] != null) {
                        throw new IllegalStateException("worker " + me + " got a connection from worker " + peer
                                + " of " + n + " twice or out of range");
                    }
                    from[peer] = in;
                    accepted++;
                }
                return new PeerMesh(me, sockets, to, from, cancelled, encrypt ? new SecretKeySpec(token, "AES") : null);
            } catch (IOException | RuntimeException e) {
                closeAll(sockets);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("worker " + me + " cannot connect the barrier exchange among "
                            + addresses, io);
                }
                throw (RuntimeException) e;
            }
        }

        /**
         * {@link #connect} on a thread of its own, after {@code addresses} (which blocks until every worker has
         * told its address) has answered, so that the caller can train meanwhile: Spark's address all-gather
         * answers no sooner than its first reply poll, a second after the call (see the class comment), which a
         * worker would otherwise spend idle at the start of every epoch.
         */
        public Connecting connectInBackground(int me, Supplier<List<String>> addresses, byte[] token,
                                              boolean encrypt, BooleanSupplier cancelled) {
            FutureTask<PeerMesh> task = new FutureTask<>(() -> connect(me, addresses.get(), token, encrypt,
                    cancelled));
            Thread t = new Thread(task, "peer-mesh-connect");
            t.setDaemon(true);
            t.start();
            return new Connecting(task, t);
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // Nothing was sent through it that could be lost.
            }
        }
    }

    /** A mesh being connected in the background ({@link Listening#connectInBackground}). */
    public static final class Connecting implements AllGather.Joining {
        private final FutureTask<PeerMesh> task;
        private final Thread thread;

        private Connecting(FutureTask<PeerMesh> task, Thread thread) {
            this.task = task;
            this.thread = thread;
        }

        /** The connected mesh, waiting for it the first time; the connecting thread's failure is rethrown. */
        @Override
        public PeerMesh mesh() {
            return awaited(task, "connecting the barrier exchange's mesh");
        }

        /**
         * Closes the mesh. If it is not connected yet (the task failed before its first exchange), interrupts the
         * connecting thread first, which ends Spark's all-gather if it is still waiting in it, and gives it a
         * moment to finish, so that a mesh it connected just then is closed too.
         */
        @Override
        public void close() {
            if (!task.isDone()) {
                thread.interrupt();
                try {
                    thread.join(2 * TIMEOUT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (task.isDone() && !task.isCancelled()) {
                try {
                    task.get().close();
                } catch (ExecutionException | InterruptedException e) {
                    // Nothing was connected, so nothing is left open.
                }
            }
        }
    }

    /**
     * Sends {@code mine} to every other worker and returns every worker's message, in worker order ({@code mine}
     * itself at this worker's index). Every worker must call it the same number of times.
     */
    public List<byte[]> allGather(byte[] mine) {
        return Arrays.asList(allGather(mine, new byte[to.length][]));
    }

    /**
     * {@inheritDoc} Each other worker's message is read into {@code inbox[j]} when that array has the message's
     * length, else into a new array put there: the arrays of one round used again the next (a round's messages are
     * the same size every round), so a round allocates nothing of the state's size.
     */
    @Override
    public byte[][] allGather(byte[] mine, byte[][] inbox) {
        int n = to.length;
        if (inbox.length != n) {
            throw new IllegalArgumentException("an inbox of " + inbox.length + " messages for a mesh of " + n
                    + " workers");
        }
        List<Future<byte[]>> incoming = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            int peer = j;
            byte[] reusable = inbox[j];
            incoming.add(j == me ? null : receivers.submit(() -> receive(peer, reusable)));
        }
        try {
            // Sent while the receivers read, or two workers sending large messages to each other would both block.
            for (int j = 0; j < n; j++) {
                if (j != me) {
                    if (key == null) {
                        to[j].writeInt(mine.length);
                        to[j].write(mine);
                    } else {
                        sendSealed(to[j], j, sent[j]++, mine);
                    }
                    to[j].flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + me + " cannot send its round's change to the other workers"
                    + " (one of them has failed; Spark runs the stage again)", e);
        }
        for (int j = 0; j < n; j++) {
            inbox[j] = j == me ? mine : awaited(incoming.get(j), "exchanging a round's changes");
        }
        return inbox;
    }

    /** {@code future}'s value, its failure rethrown as it was where it is unchecked. */
    private static <T> T awaited(Future<T> future, String doing) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    private byte[] receive(int peer, byte[] reusable) throws IOException {
        DataInputStream in = from[peer];
        String who = "worker " + peer;
        int length = readInt(in, cancelled, who);
        if (key != null) {
            return receiveSealed(in, peer, received[peer]++, length, reusable, who);
        }
        byte[] message = ofLength(reusable, length);
        readFully(in, message, 0, length, cancelled, who);
        return message;
    }

    /** {@code reusable} if it has {@code length} bytes, else a new array of that length. */
    private static byte[] ofLength(byte[] reusable, long length) {
        return reusable != null && reusable.length == length ? reusable : new byte[Math.toIntExact(length)];
    }

    /**
     * The {@code number}-th message to {@code receiver} sealed: its length on the wire and its chunk size, then its
     * chunks of that many bytes (the last one shorter), each sealed with AES-GCM under its own nonce (see
     * {@link #nonce}) and the wire length and chunk size as associated data, so that a chunk moved, dropped,
     * replayed or cut off fails its check. Chunks rather than one seal of the whole message: the JDK's AES-GCM
     * reaches its AES-NI code only once compiled, which a few megabyte-long calls per round never make it (measured
     * on JDK 17 here: 45-314 MB/s for one 5.2 MB call, 1,700 MB/s in 64 KB chunks, against ChaCha20-Poly1305's
     * 160), and the receiver opens a chunk while the next one is on its way. A JVM whose cipher is still cold sends
     * smaller chunks ({@link #WARMING_CHUNKS}), and says so in the chunk size.
     */
    private void sendSealed(DataOutputStream out, int receiver, int number, byte[] message) throws IOException {
        int chunk = CHUNKS_CRYPTED.get() < WARMING_CHUNKS ? WARMING_CHUNK : CHUNK;
        int chunks = Math.max(1, (message.length + chunk - 1) / chunk);
        int wireLength = Math.toIntExact((long) message.length + (long) chunks * TAG);
        out.writeInt(wireLength);
        out.writeInt(chunk);
        byte[] sealed = new byte[chunk + TAG];
        Cipher cipher = gcm();
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            int length = Math.min(chunk, message.length - from);
            int n = crypt(cipher, Cipher.ENCRYPT_MODE, me, receiver, number, c, c == chunks - 1, wireLength, chunk,
                    message, from, length, sealed, 0);
            out.write(sealed, 0, n);
        }
    }

    /** The {@code number}-th message from {@code sender}, of {@code wireLength} sealed bytes ({@link #sendSealed}). */
    private byte[] receiveSealed(DataInputStream in, int sender, int number, int wireLength, byte[] reusable,
                                 String who) throws IOException {
        int chunk = readInt(in, cancelled, who);
        // Any other size is not a sealed message of this mesh (it is checked again with the chunks).
        if (chunk != CHUNK && chunk != WARMING_CHUNK) {
            throw notAuthentic(sender, me, number, null);
        }
        int chunks = (int) (((long) wireLength + chunk + TAG - 1) / (chunk + TAG));
        long length = (long) wireLength - (long) chunks * TAG;
        if (wireLength < TAG || length < 0) {
            throw notAuthentic(sender, me, number, null);
        }
        byte[] message = ofLength(reusable, length);
        byte[] sealed = new byte[chunk + TAG];
        Cipher cipher = gcm();
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            int plain = (int) Math.min(chunk, length - from);
            readFully(in, sealed, 0, plain + TAG, cancelled, who);
            crypt(cipher, Cipher.DECRYPT_MODE, sender, me, number, c, c == chunks - 1, wireLength, chunk, sealed, 0,
                    plain + TAG, message, from);
        }
        return message;
    }

    private static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the barrier exchange's messages: this JVM has no AES-GCM", e);
        }
    }

    /** Seals or opens one chunk of a message from {@code sender} to {@code receiver}; the bytes written. */
    private int crypt(Cipher cipher, int mode, int sender, int receiver, int number, int chunk, boolean last,
                      int wireLength, int chunkSize, byte[] in, int offset, int length, byte[] out, int outOffset) {
        try {
            cipher.init(mode, key, new GCMParameterSpec(8 * TAG, nonce(sender, receiver, number, chunk, last)));
            cipher.updateAAD(ByteBuffer.allocate(8).putInt(wireLength).putInt(chunkSize).array());
            int n = cipher.doFinal(in, offset, length, out, outOffset);
            CHUNKS_CRYPTED.incrementAndGet();
            return n;
        } catch (AEADBadTagException e) {
            throw notAuthentic(sender, receiver, number, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the barrier exchange's messages with AES-GCM", e);
        }
    }

    /**
     * A chunk's nonce, unique under the stage's key: the sender and receiver (16 bits each: a stage of more than
     * 65,535 workers is refused), the message number between them, the chunk's index and whether it is the last.
     */
    private static byte[] nonce(int sender, int receiver, int number, int chunk, boolean last) {
        return ByteBuffer.allocate(12).putShort((short) sender).putShort((short) receiver).putInt(number)
                .putInt(last ? chunk | Integer.MIN_VALUE : chunk).array();
    }

    private static IllegalStateException notAuthentic(int sender, int receiver, int number, Exception cause) {
        return new IllegalStateException("message " + number + " from worker " + sender + " to worker " + receiver
                + " of the barrier exchange failed its authentication: it was changed on the way or did not come"
                + " from a worker of this stage", cause);
    }

    private static int readInt(DataInputStream in, BooleanSupplier cancelled, String who) throws IOException {
        byte[] four = new byte[4];
        readFully(in, four, 0, 4, cancelled, who);
        return ((four[0] & 0xff) << 24) | ((four[1] & 0xff) << 16) | ((four[2] & 0xff) << 8) | (four[3] & 0xff);
    }

    /**
     * Reads {@code length} bytes into {@code into} from {@code offset}, asking {@code cancelled} each time the
     * socket's timeout passes.
     */
    private static void readFully(DataInputStream in, byte[] into, int offset, int length, BooleanSupplier cancelled,
                                  String who) throws IOException {
        int off = offset;
        int end = offset + length;
        while (off < end) {
            int n;
            try {
                n = in.read(into, off, end - off);
            } catch (SocketTimeoutException e) {
                checkCancelled(cancelled);
                continue;
            }
            if (n < 0) {
                throw new IOException(who + " closed its connection of the barrier exchange mid-message (its task"
                        + " failed or was killed; Spark runs the stage again)");
            }
            off += n;
        }
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new IllegalStateException("the task was killed while waiting for the other workers");
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing on the way out: the peers see the connection end, which is the point.
            }
        }
    }

    @Override
    public void close() {
        receivers.shutdownNow();
        closeAll(sockets);
    }
}
