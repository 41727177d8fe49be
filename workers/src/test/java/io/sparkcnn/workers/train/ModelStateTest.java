package io.sparkcnn.workers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ModelStateTest {

    @Test
    void applyingAStateMakesAnotherNetworkIdentical() {
        MultiLayerNetwork trained = net(1, 3, new Adam(0.01));
        trained.fit(randomData(7));
        trained.fit(randomData(8));
        trained.setEpochCount(3);
        MultiLayerNetwork other = net(99, 3, new Adam(0.01));
        assertFalse(Arrays.equals(trained.params().toFloatVector(), other.params().toFloatVector()),
                "the two seeds should give different initial parameters");

        ModelState state = ModelState.of(trained);
        state.applyTo(other);

        assertArrayEquals(trained.params().toFloatVector(), other.params().toFloatVector());
        float[] trainedUpdater = trained.getUpdater().getStateViewArray().toFloatVector();
        assertTrue(trainedUpdater.length > 0 && Arrays.stream(toDoubles(trainedUpdater)).anyMatch(v -> v != 0),
                "Adam's moments should be non-zero after two steps");
        assertArrayEquals(trainedUpdater, other.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(2, other.getIterationCount());
        assertEquals(3, other.getEpochCount());
    }

    @Test
    void theChangeOfANetworkIsItsStateLessTheStartValueByValue() {
        MultiLayerNetwork net = net(1, 3, new Adam(0.01));
        net.fit(randomData(7));
        ModelState start = ModelState.of(net);
        net.fit(randomData(8));
        float[] params = net.params().toFloatVector();
        float[] moments = net.getUpdater().getStateViewArray().toFloatVector();

        ModelState change = ModelState.changeOf(net, start);

        float[] expectedParams = new float[params.length];
        for (int i = 0; i < params.length; i++) {
            expectedParams[i] = params[i] - start.params()[i];
        }
        float[] expectedMoments = new float[moments.length];
        for (int i = 0; i < moments.length; i++) {
            expectedMoments[i] = moments[i] - start.updaterState()[i];
        }
        assertArrayEquals(expectedParams, change.params());
        assertArrayEquals(expectedMoments, change.updaterState());
        assertTrue(Arrays.stream(toDoubles(change.params())).anyMatch(v -> v != 0), "the step moved the parameters");
        assertEquals(2, change.iterations());
        assertArrayEquals(params, net.params().toFloatVector(), "reading the change leaves the network as it was");

        // Written into an old change's arrays, whatever they held, the change has the same bits.
        ModelState old = new ModelState(new float[params.length], new float[moments.length], 0, 0);
        Arrays.fill(old.params(), 42f);
        Arrays.fill(old.updaterState(), -7f);
        ModelState again = ModelState.changeOf(net, start, old);
        assertTrue(again.params() == old.params() && again.updaterState() == old.updaterState());
        assertArrayEquals(expectedParams, again.params());
        assertArrayEquals(expectedMoments, again.updaterState());
    }

    @Test
    void aStateCapturesTheNetworkAsItWasThen() {
        MultiLayerNetwork net = net(1, 3, new Adam(0.01));
        net.fit(randomData(7));
        ModelState state = ModelState.of(net);
        float[] paramsThen = state.params().clone();

        net.fit(randomData(8));

        assertArrayEquals(paramsThen, state.params());
        assertEquals(1, state.iterations());
        assertEquals(net.numParams(), state.params().length);
    }

    @Test
    void aNetworkGivenTheStateTrainsOnExactlyLikeTheOriginal() {
        MultiLayerNetwork original = net(1, 3, new Adam(0.01));
        original.fit(randomData(7));
        MultiLayerNetwork copy = net(99, 3, new Adam(0.01));
        ModelState.of(original).applyTo(copy);

        original.fit(randomData(8));
        copy.fit(randomData(8));

        assertArrayEquals(original.params().toFloatVector(), copy.params().toFloatVector(), 1e-6f);
        assertArrayEquals(original.getUpdater().getStateViewArray().toFloatVector(),
                copy.getUpdater().getStateViewArray().toFloatVector(), 1e-6f);
    }

    @Test
    void aStateOfAnotherArchitectureIsRefused() {
        ModelState wider = ModelState.of(net(1, 5, new Adam(0.01)));
        MultiLayerNetwork net = net(1, 3, new Adam(0.01));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wider.applyTo(net));
        assertTrue(e.getMessage().contains(net.numParams() + " parameters"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(wider.params().length)), e.getMessage());
        assertTrue(e.getMessage().contains("another architecture"), e.getMessage());
    }

    @Test
    void aStateOfAnotherUpdaterIsRefused() {
        ModelState adam = ModelState.of(net(1, 3, new Adam(0.01)));
        MultiLayerNetwork sgd = net(1, 3, new Sgd(0.01));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.applyTo(sgd));
        assertTrue(e.getMessage().contains("updater"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(adam.updaterState().length)), e.getMessage());
    }

    @Test
    void aStatelessUpdaterRoundTripsWithAnEmptyState() {
        MultiLayerNetwork trained = net(1, 3, new Sgd(0.1));
        trained.fit(randomData(7));
        MultiLayerNetwork other = net(99, 3, new Sgd(0.1));

        ModelState state = ModelState.of(trained);
        state.applyTo(other);

        assertEquals(0, state.updaterState().length);
        assertArrayEquals(trained.params().toFloatVector(), other.params().toFloatVector());
        assertEquals(1, other.getIterationCount());
    }

    private static MultiLayerNetwork net(long seed, int hidden, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(hidden).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet randomData(long seed) {
        Nd4j.getRandom().setSeed(seed);
        float[] labels = new float[8 * 2];
        for (int i = 0; i < 8; i++) {
            labels[i * 2 + (i % 2)] = 1f;
        }
        return new DataSet(Nd4j.rand(8, 4), Nd4j.create(labels, new long[] {8, 2}, 'c'));
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
