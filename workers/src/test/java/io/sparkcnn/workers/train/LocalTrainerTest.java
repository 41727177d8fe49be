package io.sparkcnn.workers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class LocalTrainerTest {

    @Test
    void aRateOfZeroLeavesTheParametersOfALayerStackAndOfAGraphUnchanged() {
        for (NetworkSpec spec : List.of(stack(), graph())) {
            NeuralNetwork net = spec.build();
            net.fit(data(1));
            ModelState start = ModelState.of(net);

            RoundResult result = LocalTrainer.train(net, start, List.of(data(2), data(3)).iterator(), 2, 0.0)
                    .orElseThrow();

            assertArrayEquals(start.params(), start.plus(result.state()).params(), 1e-6f, spec.graph() ? "graph" : "stack");
            assertEquals(start.iterations() + 2, result.state().iterations());
        }
    }

    @Test
    void theResultSaysWhereTheTrainingStepsTimeWentAndAShortShardWaitsForNoMore() {
        NetworkSpec spec = stack();
        NeuralNetwork net = spec.build();
        ModelState start = ModelState.of(net);

        // Two minibatches for a tau of 3: the third is asked for and never comes.
        RoundResult result = LocalTrainer.train(net, start, List.of(data(2), data(3)).iterator(), 3, 1e-3)
                .orElseThrow();

        TaskPhases p = result.phases();
        assertEquals(2, result.minibatches());
        assertTrue(p.stepNanos() > 0 && p.stateLoadNanos() > 0 && p.resultNanos() > 0, p.toString());
        assertTrue(p.firstBatchNanos() >= 0 && p.batchWaitNanos() >= 0, p.toString());
        assertTrue(p.stateLoadNanos() + p.stepNanos() + p.batchWaitNanos() + p.resultNanos() <= result.trainNanos(),
                "the phases after the first minibatch was asked for are inside the training step: " + p);
        assertTrue(p.taskNanos() >= result.trainNanos(), p.toString());
        assertEquals(0, p.stateFetchNanos(), "the broadcast is the task's, not the trainer's");
    }

    @Test
    void settingTheRateKeepsTheUpdaterStateAndTheRateIsUsed() {
        NetworkSpec spec = stack();
        NeuralNetwork net = spec.build();
        net.fit(data(1));
        ModelState start = ModelState.of(net);

        Networks.setLearningRate(net, 0.5);
        assertArrayEquals(start.updaterState(), ModelState.of(net).updaterState(), 0f, "Adam's moments survive");

        RoundResult slow = LocalTrainer.train(spec.build(), start, List.of(data(2)).iterator(), 1, 1e-4).orElseThrow();
        RoundResult fast = LocalTrainer.train(spec.build(), start, List.of(data(2)).iterator(), 1, 1e-1).orElseThrow();
        double slowStep = distance(start.params(), start.plus(slow.state()).params());
        double fastStep = distance(start.params(), start.plus(fast.state()).params());
        assertFalse(Arrays.equals(start.params(), start.plus(slow.state()).params()), "a small rate still moves");
        assertEquals(1000, fastStep / slowStep, 50, "Adam's step is proportional to the rate");
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static NetworkSpec stack() {
        return NetworkSpec.of(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
    }

    private static NetworkSpec graph() {
        return NetworkSpec.of(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build());
    }

    private static DataSet data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        float[] labels = new float[8 * 2];
        for (int i = 0; i < 8; i++) {
            labels[i * 2 + (i % 2)] = 1f;
        }
        return new DataSet(Nd4j.rand(8, 4), Nd4j.create(labels, new long[] {8, 2}, 'c'));
    }
}
