package io.sparkcnn.driver.engine;

/**
 * What one averaging round did: where it stands in the run, how many examples it trained on, their mean
 * minibatch loss, its wall time on the driver and the longest training step among its workers (the rest of the
 * round is the averaging overhead: broadcast, task launch, aggregation), the bytes broadcast, and the
 * learning rate the workers used.
 *
 * <p>Progress is counted in blocks of tau local steps: {@code blocksDone} is the blocks of the epoch done after
 * this round, of {@code blocksInEpoch}, and the round covered the last {@code blocks} of them (always 1 with a
 * fixed averaging frequency; k with an adaptive {@link AveragingSchedule}). {@code spread} is the relative spread
 * of the workers' parameter changes ({@link ParameterAverage#relativeSpread()}) and {@code nextRoundBlocks} the
 * k the schedule chose for the next round, which a checkpoint keeps so that a resumed run goes on alike.
 * {@code phases} says where the round's wall time went, driver and slowest task ({@link RoundPhases}).
 */
public record RoundStats(
        int epoch, int epochs, int blocksDone, int blocksInEpoch, int workers, long examples, double meanLoss,
        long wallNanos, long maxTrainNanos, long broadcastBytes, double learningRate, int blocks, double spread,
        int nextRoundBlocks, RoundPhases phases) {

    /** A round that was not timed phase by phase. */
    public RoundStats(int epoch, int epochs, int blocksDone, int blocksInEpoch, int workers, long examples,
                      double meanLoss, long wallNanos, long maxTrainNanos, long broadcastBytes, double learningRate,
                      int blocks, double spread, int nextRoundBlocks) {
        this(epoch, epochs, blocksDone, blocksInEpoch, workers, examples, meanLoss, wallNanos, maxTrainNanos,
                broadcastBytes, learningRate, blocks, spread, nextRoundBlocks, RoundPhases.NONE);
    }

    public double imagesPerSecond() {
        return examples / (wallNanos / 1e9);
    }

    /** The share of the round's wall time spent outside the slowest worker's training step. */
    public double overheadShare() {
        return Math.max(0, 1.0 - (double) maxTrainNanos / wallNanos);
    }

    /** Whether this is the epoch's first round. */
    public boolean firstOfEpoch() {
        return blocksDone == blocks;
    }
}
