package io.sparkcnn.bench;

/**
 * A model of one averaging round's time on W executors, for docs/scaling.md: every worker computes tau
 * minibatches of B images at {@code imagesPerSecondPerWorker}, then the state (parameters plus updater state,
 * {@code stateBytes}) travels over links of {@code bytesPerSecond}, plus a fixed per-round cost (task launch,
 * scheduling, serialisation: measured on the loopback cluster as the round time outside the training step).
 *
 * <p>Three ways to move the state: {@link Exchange#DRIVER} is this engine's default (a torrent broadcast out, whose
 * cost hardly grows with W, and a tree aggregation of depth 2 back, whose last level sends about sqrt(W) states
 * into the driver); {@link Exchange#DIRECT} is a flat reduce (every worker's state into the driver, as a depth-1
 * aggregation or dl4j-spark's averaging does); {@link Exchange#ALL_REDUCE} is BigDL's scheme, a reduce-scatter
 * and all-gather through Spark's shuffle and block manager, in which each node sends and receives about twice the
 * state whatever W is. The driver also schedules one task per worker each round ({@code perTaskSeconds}), which
 * BigDL's scheme pays too: it is what finally limits a small model.
 */
record ScalingModel(double imagesPerSecondPerWorker, int batchSize, int tau, double stateBytes,
                    double bytesPerSecond, double fixedRoundSeconds, double perTaskSeconds) {

    enum Exchange { DRIVER, DIRECT, ALL_REDUCE }

    ScalingModel {
        if (imagesPerSecondPerWorker <= 0 || batchSize <= 0 || tau <= 0 || stateBytes < 0 || bytesPerSecond <= 0
                || fixedRoundSeconds < 0 || perTaskSeconds < 0) {
            throw new IllegalArgumentException("scaling model: rates, batch and tau must be positive, bytes and"
                    + " fixed cost not negative");
        }
    }

    double computeSeconds() {
        return tau * (double) batchSize / imagesPerSecondPerWorker;
    }

    /** Seconds the round spends moving the state with {@code workers} workers. */
    double exchangeSeconds(int workers, Exchange exchange) {
        double one = stateBytes / bytesPerSecond;
        return switch (exchange) {
            // Out: the torrent broadcast, about one state through the driver's link (the executors then share
            // the blocks among themselves). Back: Spark's treeAggregate adds a level only when it pays, so the
            // driver takes min(W, ~2 sqrt(W)) states in turn: sqrt(W) partial sums after a first level that runs
            // on the executors in parallel and itself receives about sqrt(W) states per reducer.
            case DRIVER -> one + Math.min(workers, 2 * Math.ceil(Math.sqrt(workers))) * one;
            // Every worker's state into the driver, one after another on its link, and the average back.
            case DIRECT -> one + workers * one;
            // Reduce-scatter plus all-gather: 2 (W-1)/W states in and out of every node, all nodes at once.
            case ALL_REDUCE -> 2.0 * (workers - 1) / workers * one;
        };
    }

    /** The driver launches, and collects, one task per worker every round, one after another. */
    double roundSeconds(int workers, Exchange exchange) {
        return computeSeconds() + exchangeSeconds(workers, exchange) + fixedRoundSeconds + workers * perTaskSeconds;
    }

    /** Images per second of the whole cluster. */
    double throughput(int workers, Exchange exchange) {
        return workers * tau * (double) batchSize / roundSeconds(workers, exchange);
    }

    /** Throughput against W ideal workers that never communicate. */
    double efficiency(int workers, Exchange exchange) {
        return throughput(workers, exchange) / (workers * imagesPerSecondPerWorker);
    }

    /**
     * The first worker count at which the cluster delivers under half of W ideal workers: where averaging has
     * stopped scaling (throughput then creeps towards its ceiling instead of growing with W); {@code max + 1} if
     * none up to {@code max}.
     */
    int halfEfficiencyWorkers(Exchange exchange, int max) {
        for (int w = 1; w <= max; w++) {
            if (efficiency(w, exchange) < 0.5) {
                return w;
            }
        }
        return max + 1;
    }
}
