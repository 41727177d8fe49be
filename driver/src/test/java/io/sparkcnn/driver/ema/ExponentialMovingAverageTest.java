package io.sparkcnn.driver.ema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.checkpoint.Checkpoint;
import io.sparkcnn.driver.checkpoint.CheckpointStore;
import io.sparkcnn.driver.checkpoint.ListenerStates;
import io.sparkcnn.driver.engine.Position;
import io.sparkcnn.driver.engine.RoundStats;
import io.sparkcnn.workers.train.ModelState;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The driver's exponential moving average of the weights, on real ND4J tensors and a real DL4J network. */
class ExponentialMovingAverageTest {
    @TempDir
    Path dir;

    private static RoundStats round(int epoch) {
        return new RoundStats(epoch, 3, 1, 4, 2, 64, 0.5, 1_000_000L, 500_000L, 16, 1e-3, 1, 0.1, 1);
    }

    private static ModelState state(INDArray params, int iterations) {
        return new ModelState(params.toFloatVector(), new float[] {iterations, -iterations}, iterations, 0);
    }

    /** decay * ema + (1 - decay) * params, as ND4J computes it in double, rounded to float. */
    private static INDArray expected(INDArray ema, INDArray params, double decay) {
        return ema.castTo(DataType.DOUBLE).mul(decay).add(params.castTo(DataType.DOUBLE).mul(1 - decay))
                .castTo(DataType.FLOAT);
    }

    @Test
    void theFirstUpdateCopiesTheParametersAndEachLaterOneMovesByOneMinusDecay() {
        Nd4j.getRandom().setSeed(11);
        INDArray p1 = Nd4j.randn(DataType.FLOAT, 1, 5_000);
        INDArray p2 = Nd4j.randn(DataType.FLOAT, 1, 5_000);
        INDArray p3 = Nd4j.randn(DataType.FLOAT, 1, 5_000).mul(3);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.9, 1);

        ema.onRound(round(1), state(p1, 10), new Position(1, 1));
        assertArrayEquals(p1.toFloatVector(), ema.applied(state(p2, 10)).params(), 0f,
                "the first update is a copy: no bias toward zero");

        ema.onRound(round(1), state(p2, 20), new Position(1, 2));
        INDArray after2 = expected(p1, p2, 0.9);
        assertArrayEquals(after2.toFloatVector(), ema.weights(), 0f);

        ema.onRound(round(1), state(p3, 30), new Position(1, 3));
        assertArrayEquals(expected(after2, p3, 0.9).toFloatVector(), ema.weights(), 0f);
        assertEquals(3, ema.updates());
    }

    @Test
    void underConstantParametersTheDistanceShrinksByTheDecayEveryRound() {
        Nd4j.getRandom().setSeed(12);
        INDArray start = Nd4j.randn(DataType.FLOAT, 1, 2_000);
        INDArray target = Nd4j.randn(DataType.FLOAT, 1, 2_000);
        double decay = 0.8;
        ExponentialMovingAverage ema = new ExponentialMovingAverage(decay, 1);
        ema.onRound(round(1), state(start, 1), new Position(1, 1));
        int rounds = 12;
        for (int i = 0; i < rounds; i++) {
            ema.onRound(round(1), state(target, 2 + i), new Position(1, 2 + i));
        }

        // ema_n - target = decay^n * (start - target)
        INDArray gap = Nd4j.createFromArray(ema.weights()).reshape(1, 2_000).sub(target);
        INDArray predicted = start.sub(target).mul(Math.pow(decay, rounds));
        assertEquals(0, gap.sub(predicted).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void beforeTheStartEpochTheTrainedWeightsAreTheRunsWeights() {
        INDArray p1 = Nd4j.linspace(DataType.FLOAT, 1, 100, 1).reshape(1, 100);
        INDArray p2 = p1.mul(2);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.99, 2);
        ModelState epoch1 = state(p1, 5);

        ema.onRound(round(1), epoch1, new Position(1, 1));

        assertFalse(ema.started());
        assertSame(epoch1, ema.applied(epoch1));
        ema.onRound(round(2), state(p2, 6), new Position(2, 1));
        assertTrue(ema.started());
        assertArrayEquals(p2.toFloatVector(), ema.weights(), 0f, "epoch 2's first round starts it as a copy");
    }

    @Test
    void theAppliedStateKeepsTheTrainedUpdaterStateAndCounters() {
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.5, 1);
        ema.onRound(round(1), state(Nd4j.ones(DataType.FLOAT, 1, 4), 1), new Position(1, 1));
        ModelState trained = new ModelState(new float[] {3, 3, 3, 3}, new float[] {7, 8}, 42, 2);

        ema.onRound(round(1), trained, new Position(1, 2));
        ModelState applied = ema.applied(trained);

        assertArrayEquals(new float[] {2, 2, 2, 2}, applied.params(), 0f);
        assertArrayEquals(trained.updaterState(), applied.updaterState(), 0f);
        assertEquals(42, applied.iterations());
        assertEquals(2, applied.epochs());
        float[] handedOut = applied.params().clone();
        ema.onRound(round(1), trained, new Position(1, 3));
        assertArrayEquals(handedOut, applied.params(), 0f, "a state handed out does not change with later rounds");
    }

    @Test
    void batchNormalisationRunningStatisticsAreAveragedWithTheWeights() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 6).mul(4).add(2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 3);
        for (int i = 0; i < 32; i++) {
            y.putScalar(i, i % 3, 1);
        }
        ExponentialMovingAverage ema = new ExponentialMovingAverage(0.75, 1);
        net.fit(x, y);
        INDArray mean1 = net.getLayer(1).getParam("mean").dup();
        ema.onRound(round(1), ModelState.of(net), new Position(1, 1));
        net.fit(x, y);
        INDArray mean2 = net.getLayer(1).getParam("mean").dup();
        assertFalse(mean1.equals(mean2), "training moved the running mean");
        ModelState trained = ModelState.of(net);
        ema.onRound(round(1), trained, new Position(1, 2));

        ema.applied(trained).applyTo(net);

        assertArrayEquals(expected(mean1, mean2, 0.75).toFloatVector(),
                net.getLayer(1).getParam("mean").toFloatVector(), 0f, "the running mean is averaged too");
    }

    @Test
    void itsWeightsComeBackBitForBitThroughACheckpointFileAndItGoesOnAlike() {
        Nd4j.getRandom().setSeed(13);
        ExponentialMovingAverage uninterrupted = new ExponentialMovingAverage(0.999, 1);
        for (int i = 0; i < 3; i++) {
            uninterrupted.onRound(round(1), state(Nd4j.randn(DataType.FLOAT, 1, 3_000), i), new Position(1, i + 1));
        }
        Path file = new CheckpointStore(dir, 2).write(new Checkpoint(new Position(1, 3), 1,
                state(Nd4j.zeros(DataType.FLOAT, 1, 3_000), 3), ListenerStates.of(List.of(uninterrupted))));

        ExponentialMovingAverage resumed = new ExponentialMovingAverage(0.999, 1);
        assertTrue(CheckpointStore.readFile(file).listeners().restore(resumed));
        assertArrayEquals(uninterrupted.weights(), resumed.weights(), 0f);
        assertEquals(3, resumed.updates());

        ModelState next = state(Nd4j.randn(DataType.FLOAT, 1, 3_000), 4);
        uninterrupted.onRound(round(1), next, new Position(1, 4));
        resumed.onRound(round(1), next, new Position(1, 4));
        assertArrayEquals(uninterrupted.weights(), resumed.weights(), 0f);
    }

    @Test
    void aDecayOutsideTheOpenUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(0.9, 0));
    }
}
