package io.sparkcnn.driver.engine;

/**
 * What the averaging loop does when a round produces a non-finite loss or non-finite parameters: stop with a
 * {@link DivergedException} naming the epoch and round, or roll back to the parameters the round started from
 * and run it again with the learning rate multiplied by {@code rateFactor}, at most {@code maxRollbacks} times
 * in the whole run.
 */
public record DivergencePolicy(boolean rollback, double rateFactor, int maxRollbacks) {
    public static final DivergencePolicy STOP = new DivergencePolicy(false, 1, 0);

    public DivergencePolicy {
        if (rollback && !(rateFactor > 0 && rateFactor < 1)) {
            throw new IllegalArgumentException("a rollback must lower the learning rate: factor " + rateFactor
                    + " is not in (0, 1)");
        }
    }

    /**
     * Whether a round's loss diverged: NaN or infinite over the minibatches it trained (its averaged state's own
     * check is {@link ParameterAverage.Averaged#finite()}). One place for the tree's driver and the barrier's
     * workers, which must agree.
     */
    static boolean lossDiverged(ParameterAverage round) {
        return !Double.isFinite(round.meanLoss()) && round.minibatches() > 0;
    }
}
