package io.sparkcnn.workers.train;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * The executor-local cache of built networks, so that each averaging round reuses the networks of the last one
 * instead of rebuilding them (building allocates and initialises every parameter). A pool per configuration:
 * tasks running side by side in one JVM each borrow their own network. This is the project's one piece of
 * static mutable state, and it holds nothing but reusable scratch networks: every round overwrites their
 * parameters from the broadcast state.
 */
public final class NetworkCache {
    private static final Map<NetworkSpec, Queue<NeuralNetwork>> POOLS = new ConcurrentHashMap<>();

    static {
        NativeBackend.select();
    }

    private NetworkCache() {}

    /** Runs {@code work} with a network built from {@code spec}, then returns it to the pool. */
    public static <T> T withNetwork(NetworkSpec spec, Function<NeuralNetwork, T> work) {
        Queue<NeuralNetwork> pool = POOLS.computeIfAbsent(spec, k -> new ConcurrentLinkedQueue<>());
        NeuralNetwork net = pool.poll();
        if (net == null) {
            net = spec.build();
        }
        try {
            return work.apply(net);
        } finally {
            pool.add(net);
        }
    }

    /**
     * Drops every pooled network, for a JVM that runs many different networks in turn (the test suite trains
     * every shipped job in one JVM): a pool is never evicted otherwise, and each holds its networks' parameters,
     * gradients, updater state and workspaces, freed natively only once the networks are garbage-collected.
     */
    public static void clear() {
        POOLS.clear();
    }
}
