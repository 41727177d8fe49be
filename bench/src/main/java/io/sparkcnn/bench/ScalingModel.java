package io.sparkcnn.bench;

/**
 * A model of one averaging round's time on W executors, for docs/scaling.md: every worker computes tau
 * minibatches of B images at {@code imagesPerSecondPerWorker}; then the round pays its exchange's measured cost
 * outside the training step ({@link RoundCost}: fitted to the bench's rounds at two state sizes and 1, 2 and 4
 * workers, so it holds the job, the tasks, the serialising and summing), and the time the state's bytes take
 * through the busiest network link, which the loopback cluster the costs were measured on does not have:
 * the driver's link carries the broadcast out and {@link RoundCost#statesIntoDriver} states in (the tree: W;
 * the all-reduce: one gathered state), an executor's about two (its result or slices out, the broadcast or
 * slices in; full-duplex links are not credited).
 */
record ScalingModel(double imagesPerSecondPerWorker, int batchSize, int tau, double stateBytes,
                    double bytesPerSecond) {

    /** States through an executor's link a round, either exchange: about one out and one in. */
    static final double EXECUTOR_STATES = 2;

    ScalingModel {
        if (imagesPerSecondPerWorker <= 0 || batchSize <= 0 || tau <= 0 || stateBytes < 0 || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("scaling model: rates, batch, tau and bandwidth must be positive,"
                    + " the state's bytes not negative");
        }
    }

    double computeSeconds() {
        return tau * (double) batchSize / imagesPerSecondPerWorker;
    }

    /** Seconds the state's bytes spend on the busiest link: the driver's, or an executor's for the all-reduce. */
    double linkSeconds(int workers, RoundCost cost) {
        return Math.max(1 + cost.statesIntoDriver(workers), EXECUTOR_STATES) * stateBytes / bytesPerSecond;
    }

    double roundSeconds(int workers, RoundCost cost) {
        return computeSeconds() + cost.seconds(workers, stateBytes) + linkSeconds(workers, cost);
    }

    /** Images per second of the whole cluster. */
    double throughput(int workers, RoundCost cost) {
        return workers * tau * (double) batchSize / roundSeconds(workers, cost);
    }

    /** Throughput against W ideal workers that never communicate. */
    double efficiency(int workers, RoundCost cost) {
        return throughput(workers, cost) / (workers * imagesPerSecondPerWorker);
    }

    /**
     * The first worker count at which the cluster delivers under {@code share} of W ideal workers; {@code max + 1}
     * if none up to {@code max}. At 0.5 averaging has stopped scaling: throughput then creeps towards its ceiling
     * instead of growing with W.
     */
    int workersBelow(double share, RoundCost cost, int max) {
        for (int w = 1; w <= max; w++) {
            if (efficiency(w, cost) < share) {
                return w;
            }
        }
        return max + 1;
    }
}
