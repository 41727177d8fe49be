package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.RawBatches;
import io.sparkcnn.workers.testing.SyntheticIdx;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The barrier exchange (training.exchange = barrier) on a real local-mode Spark with real images: epoch-long tasks
 * that average among themselves must end where the tree exchange's driver-side rounds end, bit for bit, with
 * growing rounds, a rate that changes every step, dropout's random draws and a resume inside an epoch.
 */
class BarrierExchangeSpec {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    /** Thresholds no spread gets past: k doubles after every round, up to 4. */
    private static final AveragingSchedule ALWAYS_DOUBLE = new AveragingSchedule(4, 1e9, 2e9);
    private static final LearningRateSchedule DECAYING = (epoch, iteration) -> 2e-3 / (1 + iteration / 5.0) / epoch;
    private static JavaSparkContext sc;
    private static List<LabeledImage> records;

    @BeforeAll
    static void startSpark(@TempDir Path tmp) {
        // Seeded synthetic images in Fashion-MNIST's IDX form, read as a job reads the real files.
        records = SyntheticIdx.records(tmp, 600, 23L);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("BarrierExchangeSpec")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static MultiLayerConfiguration convNetWithDropout() {
        return new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DropoutLayer(0.8))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    private static AveragingTrainer trainer(TrainingPlan plan, MultiLayerConfiguration conf, Exchange exchange) {
        return new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10), DECAYING)
                .averaging(ALWAYS_DOUBLE).exchange(exchange);
    }

    private static ModelState start(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return ModelState.of(net);
    }

    @Test
    void epochLongTasksGiveTheTreesParametersBitForBitAndTheDriverHearsOfOneRoundAnEpoch() {
        MultiLayerConfiguration conf = convNetWithDropout();
        // 300 records a worker, batch 32, tau 1: 10 blocks an epoch, the last minibatch short; k grows 1, 2, 4.
        TrainingPlan plan = new TrainingPlan(2, 32, 1, 2, 13L);
        List<RoundStats> treeRounds = new ArrayList<>();
        List<RoundStats> barrierRounds = new ArrayList<>();
        List<Position> barrierPositions = new ArrayList<>();

        TrainingResult tree = trainer(plan, conf, Exchange.TREE).fit(sc.parallelize(records, 4), records.size(),
                start(conf), new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        treeRounds.add(round);
                    }
                });
        TrainingResult barrier = trainer(plan, conf, Exchange.BARRIER).fit(sc.parallelize(records, 4),
                records.size(), start(conf), new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        barrierRounds.add(round);
                        barrierPositions.add(next);
                    }
                });

        assertEquals(tree.state().iterations(), barrier.state().iterations(), "iteration counter");
        assertEquals(tree.state().epochs(), barrier.state().epochs(), "epoch counter");
        assertArrayEquals(tree.state().params(), barrier.state().params(), "parameters, bit for bit");
        assertArrayEquals(tree.state().updaterState(), barrier.state().updaterState(), "updater state, bit for bit");

        assertEquals(List.of(new Position(2, 0), new Position(3, 0)), barrierPositions, "once an epoch");
        for (int epoch = 1; epoch <= 2; epoch++) {
            int e = epoch;
            List<RoundStats> inEpoch = treeRounds.stream().filter(r -> r.epoch() == e).toList();
            RoundStats whole = barrierRounds.get(epoch - 1);
            assertEquals(inEpoch.stream().mapToLong(RoundStats::examples).sum(), whole.examples(), "examples");
            assertEquals(10, whole.blocks(), "the epoch's blocks");
            assertEquals(inEpoch.get(inEpoch.size() - 1).nextRoundBlocks(), whole.nextRoundBlocks(), "k goes on");
            assertEquals(inEpoch.size(), barrier.epochs().get(epoch - 1).rounds(), "the averagings inside");
            assertTrue(whole.maxTrainNanos() > 0 && whole.maxTrainNanos() < whole.wallNanos(),
                    "the rounds' slowest steps fit in the epoch's wall time: " + whole);
            assertTrue(whole.phases().slowestTask().stepNanos() > 0, "the task's steps were timed: " + whole);
            assertTrue(whole.phases().slowestTask().partialSumNanos() > 0, "and its all-gathers: " + whole);
        }
    }

    @Test
    void aBarrierRunResumedInsideAnEpochEndsWhereTheUninterruptedTreeRunEnds() {
        MultiLayerConfiguration conf = convNetWithDropout();
        TrainingPlan plan = new TrainingPlan(2, 32, 2, 2, 17L);
        ModelState[] saved = new ModelState[1];
        Position[] savedAt = new Position[1];
        int[] savedK = new int[1];
        AveragingTrainer tree = trainer(plan, conf, Exchange.TREE);
        ModelState uninterrupted = tree.fit(sc.parallelize(records, 4), records.size(), start(conf),
                new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        // Blocks of 2 steps, k 1 then 2: after the second round the epoch stands at block 3 of 5.
                        if (round.epoch() == 1 && round.blocksDone() == 3) {
                            saved[0] = state;
                            savedAt[0] = next;
                            savedK[0] = round.nextRoundBlocks();
                        }
                    }
                }).state();

        assertEquals(new Position(1, 3), savedAt[0]);
        TrainingResult resumed = trainer(plan, conf, Exchange.BARRIER).fit(sc.parallelize(records, 4),
                records.size(), saved[0], savedAt[0], savedK[0], List.of(new TrainingListener() {}));

        assertEquals(uninterrupted.iterations(), resumed.state().iterations(), "iteration counter");
        assertArrayEquals(uninterrupted.params(), resumed.state().params(), "parameters, bit for bit");
        assertArrayEquals(uninterrupted.updaterState(), resumed.state().updaterState(), "updater state");
    }

    @Test
    void rollingBackADivergedRoundIsRefusedWithTheBarrierExchange() {
        MultiLayerConfiguration conf = convNetWithDropout();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(new TrainingPlan(2, 32, 1, 1, 1L), conf, Exchange.BARRIER)
                        .onDivergence(new DivergencePolicy(true, 0.5, 3))
                        .fit(sc.parallelize(records, 4), records.size(), start(conf), new TrainingListener() {}));
        assertTrue(e.getMessage().contains("training.on-divergence"), e.getMessage());
    }
}
