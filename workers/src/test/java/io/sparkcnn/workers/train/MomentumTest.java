package io.sparkcnn.workers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class MomentumTest {

    @Test
    void withZeroMomentumItStepsExactlyLikePlainSgd() {
        float[] sgd = trainThreeSteps(new Sgd(0.1));
        float[] momentum = trainThreeSteps(new Momentum(0.1, 0.0));
        assertArrayEquals(sgd, momentum, 1e-6f);
    }

    @Test
    void theVelocityAccumulatesGradientsAndSurvivesTheConfigurationsJson() {
        NeuralNetwork net = net(new Momentum(0.1, 0.9)).build();
        float[] before = net.params().toFloatVector();
        net.fit(data(1));
        float[] after = net.params().toFloatVector();
        float[] velocity = net.updaterState().toFloatVector();
        // After one step from zero velocity, v = g and the step is lr * v.
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] - after[i], 0.1f * velocity[i], 1e-6f, "parameter " + i);
        }
        net.fit(data(2));
        float[] withMomentum = net.params().toFloatVector();
        assertFalse(Arrays.equals(withMomentum, trainTwoStepsWithSgd()), "momentum changes the second step");
    }

    private static float[] trainTwoStepsWithSgd() {
        NeuralNetwork net = net(new Sgd(0.1)).build();
        net.fit(data(1));
        net.fit(data(2));
        return net.params().toFloatVector();
    }

    private static float[] trainThreeSteps(IUpdater updater) {
        NeuralNetwork net = net(updater).build();
        for (int i = 1; i <= 3; i++) {
            net.fit(data(i));
        }
        return net.params().toFloatVector();
    }

    private static NetworkSpec net(IUpdater updater) {
        return NetworkSpec.of(new NeuralNetConfiguration.Builder().seed(5).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(2)
                        .activation(Activation.SOFTMAX).build())
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
