package io.sparkcnn.workers.train;

import java.util.Iterator;
import java.util.Optional;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** The executor's part of a round: start from the broadcast state and take up to {@code tau} SGD steps. */
public final class LocalTrainer {
    private LocalTrainer() {}

    /**
     * Trains {@code net}, starting from {@code start}, on at most {@code tau} minibatches of {@code batches},
     * at {@code learningRate} (NaN only for updaters without one, such as AdaDelta). The result holds the change
     * from {@code start}, not the new state: averaging changes keeps what no worker changed (frozen layers)
     * exactly as it was, and loses less precision than averaging whole values. Empty when the shard has no minibatch
     * left this epoch: such a worker has nothing to add to the average. The result says where the time went
     * ({@link TaskPhases}: loading the state, the first minibatch, the steps, the later waits, the extraction).
     */
    public static Optional<RoundResult> train(
            NeuralNetwork net, ModelState start, Iterator<DataSet> batches, int tau, double learningRate) {
        return train(net, start, batches, tau, learningRate, null);
    }

    /**
     * {@link #train(NeuralNetwork, ModelState, Iterator, int, double)}, the change written into {@code reusable}'s
     * arrays where they fit (an earlier round's change that nothing reads any more; may be null).
     */
    public static Optional<RoundResult> train(NeuralNetwork net, ModelState start, Iterator<DataSet> batches,
                                              int tau, double learningRate, ModelState reusable) {
        // Each phase is timed with a few nanoTime calls per step, nothing that moves with the data's size.
        long asked = System.nanoTime();
        if (!batches.hasNext()) {
            return Optional.empty();
        }
        long began = System.nanoTime();
        start.applyTo(net);
        // Set every round: the network is an executor-cached one, and the last round may have left another rate.
        if (!Double.isNaN(learningRate)) {
            Networks.setLearningRate(net, learningRate);
        }
        long loaded = System.nanoTime();
        long firstBatchNanos = began - asked;
        long stepNanos = 0;
        long waitNanos = 0;
        long examples = 0;
        int steps = 0;
        double lossSum = 0;
        long mark = loaded;
        while (steps < tau && batches.hasNext()) {
            DataSet batch = batches.next();
            long got = System.nanoTime();
            if (steps == 0) {
                firstBatchNanos += got - mark;
            } else {
                waitNanos += got - mark;
            }
            net.fit(batch);
            lossSum += Networks.score(net);
            examples += batch.numExamples();
            steps++;
            mark = System.nanoTime();
            stepNanos += mark - got;
        }
        long extracting = System.nanoTime();
        // A shard that ran short asked once more for a minibatch it did not get.
        waitNanos += extracting - mark;
        ModelState change = ModelState.changeOf(net, start, reusable);
        long end = System.nanoTime();
        TaskPhases phases = new TaskPhases(0, loaded - began, firstBatchNanos, stepNanos, waitNanos,
                end - extracting, 0, end - asked);
        return Optional.of(new RoundResult(change, examples, steps, lossSum, end - began, phases));
    }
}
