package io.sparkcnn.driver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.RawBatches;
import io.sparkcnn.workers.testing.SyntheticIdx;
import io.sparkcnn.workers.train.ChannelsLastInput;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeBackend;
import io.sparkcnn.workers.train.NetworkSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
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
 * The same job and seed end with bit-identical parameters and updater state (issue 15): LeNet-5 with its
 * channels-last layers on DL4J's oneDNN helpers, four workers as four concurrent tasks of one local-mode JVM
 * (two tasks per core, so they finish in varying order), run three times, once with a task killed and retried,
 * and once resumed from a mid-epoch position.
 */
class DeterminismSpec {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    /** 1,280 records over 4 workers of batch 32 and tau 2: 5 rounds an epoch. */
    private static final TrainingPlan PLAN = new TrainingPlan(4, 32, 2, 1, 15L);
    private static JavaSparkContext sc;
    private static List<LabeledImage> records;
    private static ModelState start;

    @BeforeAll
    static void startSpark(@TempDir Path tmp) {
        // Before the first ND4J call, so that this JVM runs the oneDNN build the jobs use.
        NativeBackend.select();
        // Seeded synthetic images in Fashion-MNIST's IDX form, read as a job reads the real files.
        records = SyntheticIdx.records(tmp, 1280, 18L);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[4]").setAppName("DeterminismSpec")
                .set("spark.ui.enabled", "false"));
        MultiLayerNetwork net = new MultiLayerNetwork(leNet5ChannelsLast());
        net.init();
        start = ModelState.of(net);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** LeNet-5 as jobs' LeNet5 builds it for model.data-format = NHWC. */
    private static MultiLayerConfiguration leNet5ChannelsLast() {
        return new NeuralNetConfiguration.Builder().seed(3).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .inputPreProcessor(0, new ChannelsLastInput())
                .build();
    }

    private static AveragingTrainer trainer() {
        return new AveragingTrainer(sc, PLAN, NetworkSpec.of(leNet5ChannelsLast()), new RawBatches(SHAPE, 10),
                LearningRateSchedule.constant(1e-3));
    }

    private static String train(ModelState from, Position at, TrainingListener listener) {
        ModelState end = trainer().fit(sc.parallelize(records, 3), records.size(), from, at, listener).state();
        return hash(end);
    }

    @Test
    void threeRunsAKilledAndRetriedTaskAndAResumedRunEndWithTheSameParameterHash() {
        List<String> hashes = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            hashes.add(train(start, Position.START, new TrainingListener() {}));
        }
        assertEquals(List.of(hashes.get(0), hashes.get(0), hashes.get(0)), hashes, "three runs of the same job");

        // A real kill of a running task in epoch 1, block 3: Spark reschedules it, the retry computes it again.
        TaskKiller killer = new TaskKiller("epoch 1/1, block 3/5");
        sc.sc().addSparkListener(killer);
        String killed;
        try {
            killed = train(start, Position.START, new TrainingListener() {});
        } finally {
            sc.sc().removeSparkListener(killer);
        }
        assertTrue(killer.killedTasks.get() >= 1, "no task was killed; the spec tests nothing");
        assertEquals(hashes.get(0), killed, "a run with a task killed and retried");

        // Resumed from the state after epoch 1, block 2, as from a mid-epoch checkpoint.
        ModelState[] saved = new ModelState[1];
        train(start, Position.START, new TrainingListener() {
            @Override
            public void onRound(RoundStats round, ModelState state, Position next) {
                if (next.equals(new Position(1, 2))) {
                    saved[0] = state;
                }
            }
        });
        assertEquals(hashes.get(0), train(saved[0], new Position(1, 2), new TrainingListener() {}),
                "a run resumed mid-epoch");
    }

    @Test
    void theAllReduceExchangeTrainsToTheSameBitsAsTheTree() {
        String tree = train(start, Position.START, new TrainingListener() {});
        ModelState end = trainer().exchange(Exchange.ALL_REDUCE)
                .fit(sc.parallelize(records, 3), records.size(), start, Position.START, new TrainingListener() {})
                .state();
        // Four workers: the tree adds their sums on the driver in partition order, the all-reduce each slice in
        // the same order, so the bits must agree.
        assertEquals(tree, hash(end), "the same job with training.exchange = all-reduce");
    }

    /** SHA-256 of the parameters, the updater state and the counters, bit for bit. */
    static String hash(ModelState state) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * (state.params().length + state.updaterState().length + 2));
        bytes.asFloatBuffer().put(state.params()).put(state.updaterState());
        bytes.putInt(bytes.capacity() - 8, state.iterations()).putInt(bytes.capacity() - 4, state.epochs());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the first attempt of one task of the job with the given description, once. */
    private static final class TaskKiller extends SparkListener {
        private final String description;
        private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
        private final AtomicLong victim = new AtomicLong(-1);
        final AtomicInteger killedTasks = new AtomicInteger();

        TaskKiller(String description) {
            this.description = description;
        }

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            if (description.equals(job.properties().getProperty("spark.job.description"))) {
                job.stageIds().foreach(id -> stages.add((Integer) id));
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart task) {
            if (stages.contains(task.stageId()) && task.taskInfo().attemptNumber() == 0
                    && victim.compareAndSet(-1, task.taskInfo().taskId())) {
                sc.sc().killTaskAttempt(task.taskInfo().taskId(), true, "DeterminismSpec kills a running task");
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd task) {
            if (task.taskInfo().taskId() == victim.get() && task.reason() instanceof TaskKilled) {
                killedTasks.incrementAndGet();
            }
        }
    }
}
