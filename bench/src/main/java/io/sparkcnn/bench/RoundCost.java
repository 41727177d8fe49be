package io.sparkcnn.bench;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * One exchange's cost of a round outside the training step, fitted to rounds the bench measured phase by phase
 * ({@code RoundPhases}), in two parts:
 * <ul>
 * <li>the driver's, which it pays one task after another: {@code fixed + perWorker W + (perMegabyte +
 * perMegabyteWorker W) S} seconds for W workers and a state of S MB (the job, launching and collecting one task per
 * worker, serialising the broadcast, taking in the tree's W results). Its phases: broadcast, Spark's part of the
 * job, the driver's merge and averaging, the rest of the round. Fitted by ordinary least squares (commons-math,
 * which Spark already brings) to the runs at 1, 2 and 4 workers and two state sizes;</li>
 * <li>the slowest executor's, which the executors pay side by side: {@code executorFixed + executorPerMegabyte S}
 * (fetching and loading the state, the first minibatch, the result and the executors' partial sums), fitted to
 * the 1-worker runs only: on the bench's 2-core machine 2 or 4 one-core executors and the driver share the
 * cores, so the executors' phases there grow with W in a way a real cluster's would not.</li>
 * </ul>
 * The driver's part is measured on that shared machine too, so its growth with W is an upper bound. A term the fit
 * finds negative (noise) counts as zero when the model extrapolates, and {@link #toString()} says so.
 *
 * <p>{@code driverStates + driverStatesPerWorker W} is the driver's measured result bytes per round in states,
 * fitted the same way: the tree takes one state from every worker (0 + 1 W), the all-reduce one gathered state
 * (1 + 0 W). The model uses it for the time those bytes take on a real network link, which the loopback
 * measurement does not see.
 */
record RoundCost(String exchange, double fixed, double perWorker, double perMegabyte, double perMegabyteWorker,
                 double executorFixed, double executorPerMegabyte, double rmsResidual, int points,
                 double driverStates, double driverStatesPerWorker) {

    /**
     * One measured run: workers, the state's bytes, the median round's seconds on the driver and in the slowest
     * executor outside its training steps, and the driver's result bytes per round.
     */
    record Measured(int workers, double stateBytes, double driverSeconds, double executorSeconds,
                    double driverResultBytes) {}

    static RoundCost fit(String exchange, List<Measured> rounds) {
        if (rounds.size() < 5) {
            throw new IllegalArgumentException("fitting " + exchange + "'s round cost needs at least 5 measured runs"
                    + " (workers 1, 2, 4 at two state sizes: scripts/bench --rows y), got " + rounds.size());
        }
        double[] y = new double[rounds.size()];
        double[][] x = new double[rounds.size()][];
        double[] states = new double[rounds.size()];
        double[][] w = new double[rounds.size()][];
        for (int i = 0; i < y.length; i++) {
            Measured m = rounds.get(i);
            double mb = m.stateBytes() / 1e6;
            y[i] = m.driverSeconds();
            x[i] = new double[] {m.workers(), mb, mb * m.workers()};
            states[i] = m.driverResultBytes() / m.stateBytes();
            w[i] = new double[] {m.workers()};
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        double[] b = ols.estimateRegressionParameters();
        double[] residuals = ols.estimateResiduals();
        double sum = 0;
        for (double r : residuals) {
            sum += r * r;
        }
        OLSMultipleLinearRegression bytes = new OLSMultipleLinearRegression();
        bytes.newSampleData(states, w);
        double[] d = bytes.estimateRegressionParameters();
        SimpleRegression executor = new SimpleRegression();
        rounds.stream().filter(m -> m.workers() == 1)
                .forEach(m -> executor.addData(m.stateBytes() / 1e6, m.executorSeconds()));
        if (executor.getN() < 2) {
            throw new IllegalArgumentException("fitting " + exchange + "'s executor cost needs 1-worker runs at two"
                    + " state sizes (scripts/bench --rows y)");
        }
        return new RoundCost(exchange, b[0], b[1], b[2], b[3], executor.getIntercept(), executor.getSlope(),
                Math.sqrt(sum / y.length), y.length, d[0], d[1]);
    }

    /** Seconds outside the training step with {@code workers} workers and a state of {@code stateBytes}. */
    double seconds(int workers, double stateBytes) {
        double mb = stateBytes / 1e6;
        return Math.max(0, fixed) + Math.max(0, perWorker) * workers
                + (Math.max(0, perMegabyte) + Math.max(0, perMegabyteWorker) * workers) * mb
                + Math.max(0, executorFixed) + Math.max(0, executorPerMegabyte) * mb;
    }

    /** States the driver receives a round with {@code workers} workers (measured bytes, fitted in W). */
    double statesIntoDriver(int workers) {
        return Math.max(0, driverStates + driverStatesPerWorker * workers);
    }

    @Override
    public String toString() {
        String clamped = fixed < 0 || perWorker < 0 || perMegabyte < 0 || perMegabyteWorker < 0 || executorFixed < 0
                || executorPerMegabyte < 0 ? "; negative terms count as 0" : "";
        return String.format(Locale.ROOT, "%s: driver %.4f s + %.4f s x W + (%.5f s + %.5f s x W) per MB of state"
                        + " (rms residual %.3f s over %d runs%s); executor %.4f s + %.5f s per MB; the driver takes"
                        + " %.2f + %.2f x W states a round",
                exchange, fixed, perWorker, perMegabyte, perMegabyteWorker, rmsResidual, points, clamped,
                executorFixed, executorPerMegabyte, driverStates, driverStatesPerWorker);
    }
}
