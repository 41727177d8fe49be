package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.Minibatches;
import io.sparkcnn.workers.data.RawBatches;
import io.sparkcnn.workers.testing.SyntheticIdx;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The averaging engine on a real local-mode Spark with real images: 600 seeded synthetic 28x28 records in
 * Fashion-MNIST's IDX form ({@link SyntheticIdx}), so that the engine is tested whether or not the data set is
 * installed.
 */
class AveragingTrainerSpec {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static JavaSparkContext sc;
    private static List<LabeledImage> records;

    @BeforeAll
    static void startSpark(@TempDir Path tmp) {
        // Seeded synthetic images in Fashion-MNIST's IDX form, read as a job reads the real files.
        records = SyntheticIdx.records(tmp, 600, 18L);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("AveragingTrainerSpec")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static MultiLayerConfiguration smallConvNet() {
        return new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    /** Thresholds no spread gets past: k doubles after every round, up to 4. */
    private static final AveragingSchedule ALWAYS_DOUBLE = new AveragingSchedule(4, 1e9, 2e9);

    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void oneWorkerMatchesPlainFitOnTheSameDataOrderWithFixedOrGrowingRounds(boolean adaptive) {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf.clone());
        plain.init();
        ModelState start = ModelState.of(plain);
        TrainingPlan plan = new TrainingPlan(1, 32, 1, 2, 11L);
        List<Integer> blocks = new ArrayList<>();

        // One worker's average is its own state, so rounds of 1, 2, 4, 4... steps must add up to plain DL4J.
        TrainingResult engine = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                LearningRateSchedule.constant(1e-3))
                .averaging(adaptive ? ALWAYS_DOUBLE : AveragingSchedule.FIXED)
                .fit(sc.parallelize(records, 3), records.size(), start, new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        blocks.add(round.blocks());
                    }
                });
        // 600 records of batch 32: 19 steps an epoch; k carries over into the next epoch.
        assertEquals(adaptive ? List.of(1, 2, 4, 4, 4, 4, 4, 4, 4, 4, 3) : java.util.Collections.nCopies(38, 1),
                blocks, "blocks of tau steps per round");

        for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
            EpochShards dealt = EpochShards.deal(records.size(), 1, plan.seed(), epoch);
            List<LabeledImage> ordered = new ArrayList<>(records);
            ordered.sort(Comparator.comparingInt(r -> dealt.positionOf(r.id())));
            Minibatches batches = new Minibatches(ordered.iterator(), SHAPE, 10, 32);
            while (batches.hasNext()) {
                plain.fit(batches.next());
            }
        }
        ModelState reference = ModelState.of(plain);
        assertEquals(reference.iterations(), engine.state().iterations(), "iteration counter");
        assertArrayEquals(reference.params(), engine.state().params(), 1e-5f, "parameters");
        assertArrayEquals(reference.updaterState(), engine.state().updaterState(), 1e-5f, "updater state");
        assertEquals(2 * records.size(), engine.examples(), "every example once per epoch");
    }

    @Test
    void twoWorkersSeeEveryExampleOncePerEpochAndLowerTheLoss() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // 600 records over 2 workers of batch 32 and tau 4: 300 per shard = 9 full batches + one of 12,
        // so the last round runs short and its partial minibatch must not be dropped.
        TrainingPlan plan = new TrainingPlan(2, 32, 4, 3, 5L);
        List<RoundStats> rounds = new ArrayList<>();
        TrainingResult result = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                LearningRateSchedule.constant(1e-3))
                .fit(sc.parallelize(records, 4), records.size(), ModelState.of(net), new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        rounds.add(round);
                    }
                });
        assertEquals(3, result.epochs().size());
        for (EpochStats epoch : result.epochs()) {
            assertEquals(records.size(), epoch.examples(), "examples in epoch " + epoch.epoch());
            assertEquals(3, epoch.rounds());
        }
        assertTrue(rounds.stream().allMatch(r -> r.workers() == 2), "both workers take part in every round");
        double first = result.epochs().get(0).meanLoss();
        double last = result.epochs().get(2).meanLoss();
        assertTrue(last < first * 0.8, "loss should fall: first epoch " + first + ", last " + last);
    }

    @Test
    void everyRoundSaysWhereItsTimeWentAndItsPhasesAddUpWithinItsWallTime() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // 300 records per shard, batch 32, tau 4: 3 rounds, the last one short (its shard runs out of minibatches).
        TrainingPlan plan = new TrainingPlan(2, 32, 4, 1, 5L);
        List<RoundStats> rounds = new ArrayList<>();
        new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                LearningRateSchedule.constant(1e-3))
                .fit(sc.parallelize(records, 4), records.size(), ModelState.of(net), new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        rounds.add(round);
                        // A listener as slow as a checkpoint write: the next round's phases must report it.
                        try {
                            Thread.sleep(30);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        assertEquals(3, rounds.size());
        for (RoundStats r : rounds) {
            RoundPhases p = r.phases();
            Map<String, Long> named = p.named(r.wallNanos());
            assertEquals(RoundPhases.NAMES, List.copyOf(named.keySet()), "every phase, in order");
            named.forEach((name, nanos) -> assertTrue(nanos >= 0, name + " is " + nanos + " ns"));
            for (String measured : List.of("broadcast", "spark", "state_fetch", "state_load", "first_batch", "steps",
                    "result", "partial_sum", "driver_merge", "averaging")) {
                assertTrue(named.get(measured) > 0, measured + " was measured: " + named);
            }
            long inside = named.entrySet().stream().filter(e -> !e.getKey().equals("other")
                    && !e.getKey().equals("listeners_before")).mapToLong(Map.Entry::getValue).sum();
            assertTrue(inside <= r.wallNanos(), "the phases " + named + " fit in the wall time " + r.wallNanos());
            assertEquals(r.wallNanos(), inside + named.get("other"), "with the rest, they are the wall time");
            assertTrue(p.slowestTask().totalNanos() + p.driverMergeNanos() <= p.jobNanos(),
                    "the slowest task and the driver's merge ran inside the job: " + p);
            assertTrue(p.slowestTask().stepNanos() <= r.maxTrainNanos(),
                    "its steps are part of the slowest training step: " + p);
        }
        assertEquals(0, rounds.get(0).phases().listenersBeforeNanos(), "no listener ran before the first round");
        for (RoundStats r : rounds.subList(1, rounds.size())) {
            assertTrue(r.phases().listenersBeforeNanos() >= 30_000_000L,
                    "the last round's listeners took their 30 ms: " + r.phases());
        }
    }

    @Test
    void aRunResumedFromAMidEpochPositionEndsWithTheSameParametersAsAnUninterruptedOne() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ModelState start = ModelState.of(net);
        TrainingPlan plan = new TrainingPlan(2, 32, 2, 2, 9L);
        AveragingTrainer trainer = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                (epoch, iteration) -> 1e-3 / epoch);
        ModelState[] saved = new ModelState[1];
        Position[] savedAt = new Position[1];
        ModelState uninterrupted = trainer.fit(sc.parallelize(records, 4), records.size(), start,
                new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        if (round.epoch() == 1 && round.blocksDone() == 3) {
                            saved[0] = state;
                            savedAt[0] = next;
                        }
                    }
                }).state();

        assertEquals(new Position(1, 3), savedAt[0]);
        TrainingResult resumed = trainer.fit(sc.parallelize(records, 4), records.size(), saved[0], savedAt[0],
                new TrainingListener() {});

        assertEquals(uninterrupted.iterations(), resumed.state().iterations(), "iteration counter");
        assertEquals(2, resumed.state().epochs(), "epoch counter");
        assertArrayEquals(uninterrupted.params(), resumed.state().params(), 1e-5f, "parameters");
        assertArrayEquals(uninterrupted.updaterState(), resumed.state().updaterState(), 1e-5f, "updater state");
    }

    @Test
    void adaptiveRoundsGrowWhileTheWorkersAgreeAndStillTrainOnEveryExampleOncePerEpoch() throws Exception {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // 600 records over 2 workers of batch 32, tau 1: 10 blocks an epoch, the last with a short minibatch.
        TrainingPlan plan = new TrainingPlan(2, 32, 1, 2, 5L);
        List<RoundStats> rounds = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener described = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.add(start.properties().getProperty("spark.job.description"));
            }
        };
        sc.sc().addSparkListener(described);
        TrainingResult result;
        try {
            result = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                    LearningRateSchedule.constant(1e-3))
                    .averaging(ALWAYS_DOUBLE)
                    .fit(sc.parallelize(records, 4), records.size(), ModelState.of(net), new TrainingListener() {
                        @Override
                        public void onRound(RoundStats round, ModelState state, Position next) {
                            rounds.add(round);
                            positions.add(next);
                        }
                    });
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(described);
        }
        for (String expected : List.of("epoch 1/2, block 1/10", "epoch 1/2, blocks 2-3/10", "epoch 1/2, blocks 4-7/10",
                "epoch 1/2, blocks 8-10/10", "epoch 2/2, blocks 9-10/10")) {
            assertTrue(jobs.contains(expected), expected + " among the jobs started: " + jobs);
        }

        // k goes 1, 2, 4 and stays there; each epoch's last round takes only the blocks left.
        assertEquals(List.of(1, 2, 4, 3, 4, 4, 2), rounds.stream().map(RoundStats::blocks).toList());
        assertEquals(List.of(2, 4, 4, 4, 4, 4, 4), rounds.stream().map(RoundStats::nextRoundBlocks).toList());
        assertEquals(List.of(1, 3, 7, 10, 4, 8, 10), rounds.stream().map(RoundStats::blocksDone).toList(),
                "the blocks of the epoch done after each round");
        assertEquals(List.of(new Position(1, 1), new Position(1, 3), new Position(1, 7), new Position(2, 0),
                new Position(2, 4), new Position(2, 8), new Position(3, 0)), positions);
        for (EpochStats epoch : result.epochs()) {
            assertEquals(records.size(), epoch.examples(), "examples in epoch " + epoch.epoch());
        }
        assertEquals(List.of(4, 3), result.epochs().stream().map(EpochStats::rounds).toList(), "averagings");
        assertEquals(20, result.state().iterations(), "10 local steps an epoch, whatever the round lengths");
        assertTrue(rounds.stream().allMatch(r -> r.spread() > 0 && Double.isFinite(r.spread())),
                "two workers on different data spread: " + rounds);
    }

    @Test
    void anAdaptiveRunResumedMidEpochWithItsBlocksPerRoundEndsWithTheSameParametersAsAnUninterruptedOne() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ModelState start = ModelState.of(net);
        TrainingPlan plan = new TrainingPlan(2, 32, 1, 2, 9L);
        AveragingTrainer trainer = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                (epoch, iteration) -> 1e-3 / epoch).averaging(ALWAYS_DOUBLE);
        ModelState[] saved = new ModelState[1];
        Position[] savedAt = new Position[1];
        int[] savedBlocks = new int[1];
        List<Integer> tail = new ArrayList<>();
        ModelState uninterrupted = trainer.fit(sc.parallelize(records, 4), records.size(), start,
                new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        if (saved[0] != null) {
                            tail.add(round.blocks());
                        }
                        if (round.epoch() == 1 && round.blocksDone() == 3) {
                            saved[0] = state;
                            savedAt[0] = next;
                            savedBlocks[0] = round.nextRoundBlocks();
                        }
                    }
                }).state();

        assertEquals(new Position(1, 3), savedAt[0]);
        assertEquals(4, savedBlocks[0]);
        List<Integer> resumedBlocks = new ArrayList<>();
        TrainingResult resumed = trainer.fit(sc.parallelize(records, 4), records.size(), saved[0], savedAt[0],
                savedBlocks[0], new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        resumedBlocks.add(round.blocks());
                    }
                });

        assertEquals(tail, resumedBlocks, "the same rounds after the checkpoint");
        assertEquals(uninterrupted.iterations(), resumed.state().iterations(), "iteration counter");
        assertArrayEquals(uninterrupted.params(), resumed.state().params(), 1e-5f, "parameters");
        assertArrayEquals(uninterrupted.updaterState(), resumed.state().updaterState(), 1e-5f, "updater state");

        // Without the saved k the run would average at other steps and end elsewhere.
        ModelState forgotten = trainer.fit(sc.parallelize(records, 4), records.size(), saved[0], savedAt[0], 1,
                new TrainingListener() {}).state();
        assertFalse(java.util.Arrays.equals(uninterrupted.params(), forgotten.params()), "k matters");
    }

    @Test
    void theScheduleSetsTheRateEveryWorkerUsesAndAStopRequestEndsTheRun() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        TrainingPlan plan = new TrainingPlan(2, 50, 3, 5, 3L);
        List<RoundStats> rounds = new ArrayList<>();
        List<ModelState> epochEnds = new ArrayList<>();
        ModelState start = ModelState.of(net);
        TrainingResult result = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                (epoch, iteration) -> epoch == 1 ? 0.0 : 1e-3)
                .fit(sc.parallelize(records, 4), records.size(), start, new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        rounds.add(round);
                    }

                    @Override
                    public void onEpochEnd(EpochStats epoch, ModelState state) {
                        epochEnds.add(state);
                    }

                    @Override
                    public boolean stopRequested() {
                        return rounds.get(rounds.size() - 1).epoch() == 2;
                    }
                });
        assertEquals(2, result.epochs().size(), "stopped after the second epoch");
        assertTrue(rounds.stream().filter(r -> r.epoch() == 1).allMatch(r -> r.learningRate() == 0.0));
        assertTrue(rounds.stream().filter(r -> r.epoch() == 2).allMatch(r -> r.learningRate() == 1e-3));
        // A rate of 0 all through epoch 1 leaves the parameters where they started; epoch 2 moves them.
        assertArrayEquals(start.params(), epochEnds.get(0).params(), 1e-6f, "epoch 1 at rate 0");
        assertFalse(java.util.Arrays.equals(start.params(), epochEnds.get(1).params()), "epoch 2 at rate 1e-3");
    }

    @Test
    void everyRoundsSparkJobNamesItsEpochAndRoundInTheSparkUi() throws Exception {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        TrainingPlan plan = new TrainingPlan(2, 50, 3, 2, 3L);
        List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.add(start.properties().getProperty("spark.jobGroup.id") + " | "
                        + start.properties().getProperty("spark.job.description"));
            }
        };
        sc.sc().addSparkListener(listener);
        try {
            new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                    LearningRateSchedule.constant(1e-3))
                    .fit(sc.parallelize(records, 4), records.size(), ModelState.of(net), new TrainingListener() {});
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(listener);
        }

        // 600 records, 2 workers of batch 50, tau 3: 2 rounds an epoch.
        for (String expected : List.of("epoch-1 | epoch 1/2, block 1/2", "epoch-1 | epoch 1/2, block 2/2",
                "epoch-2 | epoch 2/2, block 1/2", "epoch-2 | epoch 2/2, block 2/2")) {
            assertTrue(jobs.contains(expected), expected + " among the jobs started: " + jobs);
        }
        assertTrue(jobs.stream().allMatch(j -> !j.endsWith("| null")), "every job has a description: " + jobs);
        assertEquals(null, sc.getLocalProperty("spark.jobGroup.id"), "the group ends with the run");
    }

    @Test
    void aListenerCanEndTheRunBetweenTwoRoundsOfAnEpoch() {
        MultiLayerConfiguration conf = smallConvNet();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // 600 records, 2 workers, batch 32, tau 1: 10 rounds an epoch; the listener stops it after round 3.
        TrainingPlan plan = new TrainingPlan(2, 32, 1, 2, 5L);
        List<RoundStats> rounds = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        TrainingResult result = new AveragingTrainer(sc, plan, NetworkSpec.of(conf), new RawBatches(SHAPE, 10),
                LearningRateSchedule.constant(1e-3))
                .fit(sc.parallelize(records, 4), records.size(), ModelState.of(net), new TrainingListener() {
                    @Override
                    public void onRound(RoundStats round, ModelState state, Position next) {
                        rounds.add(round);
                    }

                    @Override
                    public void onEpochEnd(EpochStats epoch, ModelState state) {
                        epochs.add(epoch);
                    }

                    @Override
                    public boolean stopRequested() {
                        return rounds.size() >= 3;
                    }
                });
        assertEquals(3, rounds.size(), "rounds run");
        assertEquals(1, epochs.size(), "the stopped epoch is still closed");
        assertEquals(3, epochs.get(0).rounds(), "the epoch counts the rounds it ran");
        assertEquals(3 * 2 * 32, result.examples(), "examples of three rounds of two workers");
    }
}
