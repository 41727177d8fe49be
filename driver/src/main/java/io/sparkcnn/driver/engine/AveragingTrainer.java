package io.sparkcnn.driver.engine;

import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.driver.shard.Sharder;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel minibatch SGD with parameter averaging, as in SparkNet: every round the driver broadcasts the
 * parameters and updater state, every worker runs tau minibatch steps on its shard, a tree aggregation sums
 * the results and the driver averages them. Each epoch reshuffles the shards from the job's seed.
 *
 * <p>It knows nothing of the architecture: it gets a DL4J configuration as JSON and a starting state.
 */
public final class AveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainingPlan plan;
    private final String configurationJson;
    private final ImageShape shape;
    private final int classes;

    public AveragingTrainer(JavaSparkContext sc, TrainingPlan plan, String configurationJson, ImageShape shape,
                            int classes) {
        this.sc = sc;
        this.plan = plan;
        this.configurationJson = configurationJson;
        this.shape = shape;
        this.classes = classes;
    }

    /**
     * Trains from {@code start} on {@code records}, whose ids must be 0 to {@code recordCount - 1}.
     */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start,
                              TrainingListener listener) {
        warmUp(records);
        ModelState state = start;
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
            EpochShards dealt = EpochShards.deal(recordCount, plan.workers(), plan.seed(), epoch);
            JavaRDD<LabeledImage> shards = Sharder.shardsFor(sc, records, dealt).persist(StorageLevel.MEMORY_ONLY());
            int rounds = plan.roundsFor(dealt.ranges().largest());
            long epochStart = System.nanoTime();
            long examples = 0;
            long minibatches = 0;
            double lossSum = 0;
            double overheadSum = 0;
            for (int round = 0; round < rounds; round++) {
                sc.setJobDescription(String.format("epoch %d/%d, round %d/%d: train",
                        epoch, plan.epochs(), round + 1, rounds));
                long roundStart = System.nanoTime();
                Broadcast<ModelState> broadcast = sc.broadcast(state);
                ParameterAverage sum = shards
                        .mapPartitionsWithIndex(new RoundTask(broadcast, configurationJson, shape, classes, plan,
                                epoch, round), true)
                        .treeAggregate(new ParameterAverage(), ParameterAverage::add, ParameterAverage::merge);
                broadcast.destroy(false);
                ModelState next = sum.average(state);
                RoundStats stats = new RoundStats(epoch, plan.epochs(), round + 1, rounds, sum.workers(),
                        sum.examples(), sum.meanLoss(), System.nanoTime() - roundStart, sum.maxTrainNanos(),
                        4L * (state.params().length + state.updaterState().length));
                if (!Double.isFinite(stats.meanLoss()) && sum.minibatches() > 0) {
                    throw new DivergedException(epoch, round + 1, stats.meanLoss());
                }
                state = next;
                examples += stats.examples();
                minibatches += sum.minibatches();
                lossSum += stats.meanLoss() * sum.minibatches();
                overheadSum += stats.overheadShare();
                listener.onRound(stats);
            }
            shards.unpersist(false);
            state = new ModelState(state.params(), state.updaterState(), state.iterations(), epoch);
            EpochStats epochStats = new EpochStats(epoch, rounds, examples, lossSum / minibatches,
                    (System.nanoTime() - epochStart) / 1e9, overheadSum / rounds);
            history.add(epochStats);
            listener.onEpochEnd(epochStats, state);
        }
        sc.setJobDescription(null);
        return new TrainingResult(state, history);
    }

    /**
     * Materialises the records on the executors and builds the network in every executor's cache, so that
     * loading the native libraries and the data is not charged to the first round's training time.
     */
    private void warmUp(JavaRDD<LabeledImage> records) {
        sc.setJobDescription("load the records and build the network on the executors");
        String json = configurationJson;
        records.mapPartitions(shard -> {
            NativeThreads.limitTo(TaskContext.get().cpus());
            NetworkCache.withNetwork(json, net -> net.numParams());
            long n = 0;
            for (; shard.hasNext(); shard.next()) {
                n++;
            }
            return List.of(n).iterator();
        }).count();
    }
}
