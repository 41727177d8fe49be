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
     * left this epoch: such a worker has nothing to add to the average.
     */
    public static Optional<RoundResult> train(
            NeuralNetwork net, ModelState start, Iterator<DataSet> batches, int tau, double learningRate) {
        if (!batches.hasNext()) {
            return Optional.empty();
        }
        long began = System.nanoTime();
        start.applyTo(net);
        // Set every round: the network is an executor-cached one, and the last round may have left another rate.
        if (!Double.isNaN(learningRate)) {
            Networks.setLearningRate(net, learningRate);
        }
        long examples = 0;
        int steps = 0;
        double lossSum = 0;
        while (steps < tau && batches.hasNext()) {
            DataSet batch = batches.next();
            net.fit(batch);
            lossSum += Networks.score(net);
            examples += batch.numExamples();
            steps++;
        }
        ModelState change = ModelState.of(net).minus(start);
        return Optional.of(new RoundResult(change, examples, steps, lossSum, System.nanoTime() - began));
    }
}
