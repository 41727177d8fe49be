package io.sparkcnn.driver.engine;

import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.driver.shard.Sharder;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
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
 * <p>It knows nothing of the architecture: it gets a DL4J configuration and a starting state. Everything a
 * round computes follows from the seed, the epoch and the round, so a run resumed from a checkpoint's
 * {@link Position} repeats exactly what the uninterrupted run would have done.
 */
public final class AveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainingPlan plan;
    private final NetworkSpec network;
    private final BatchMaker batchMaker;
    private final LearningRateSchedule schedule;
    private final DivergencePolicy onDivergence;

    public AveragingTrainer(JavaSparkContext sc, TrainingPlan plan, NetworkSpec network, BatchMaker batchMaker,
                            LearningRateSchedule schedule) {
        this(sc, plan, network, batchMaker, schedule, DivergencePolicy.STOP);
    }

    private AveragingTrainer(JavaSparkContext sc, TrainingPlan plan, NetworkSpec network, BatchMaker batchMaker,
                             LearningRateSchedule schedule, DivergencePolicy onDivergence) {
        this.sc = sc;
        this.plan = plan;
        this.network = network;
        this.batchMaker = batchMaker;
        this.schedule = schedule;
        this.onDivergence = onDivergence;
    }

    /** The same trainer with another reaction to a diverged round (by default it stops). */
    public AveragingTrainer onDivergence(DivergencePolicy policy) {
        return new AveragingTrainer(sc, plan, network, batchMaker, schedule, policy);
    }

    /** Trains from {@code start} on {@code records}, whose ids must be 0 to {@code recordCount - 1}. */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start,
                              TrainingListener listener) {
        return fit(records, recordCount, start, Position.START, listener);
    }

    /** Continues a run at {@code from} with the state it had there. */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start, Position from,
                              TrainingListener listener) {
        warmUp(records);
        ModelState state = start;
        List<EpochStats> history = new ArrayList<>();
        double rateScale = 1;
        int rollbacks = 0;
        for (int epoch = from.epoch(); epoch <= plan.epochs(); epoch++) {
            EpochShards dealt = EpochShards.deal(recordCount, plan.workers(), plan.seed(), epoch);
            JavaRDD<LabeledImage> shards = Sharder.shardsFor(sc, records, dealt).persist(StorageLevel.MEMORY_ONLY());
            int rounds = plan.roundsFor(dealt.ranges().largest());
            long epochStart = System.nanoTime();
            long examples = 0;
            long minibatches = 0;
            double lossSum = 0;
            double overheadSum = 0;
            int firstRound = epoch == from.epoch() ? from.round() : 0;
            // The Spark UI groups an epoch's jobs (its rounds, then the listener's validation) under one name.
            sc.setJobGroup(jobGroup(epoch), String.format("epoch %d/%d", epoch, plan.epochs()), false);
            int roundsRun = 0;
            for (int round = firstRound; round < rounds; round++) {
                sc.setJobDescription(String.format("epoch %d/%d, round %d/%d", epoch, plan.epochs(), round + 1,
                        rounds));
                long roundStart = System.nanoTime();
                double learningRate = schedule.rate(epoch, state.iterations()) * rateScale;
                Broadcast<ModelState> broadcast = sc.broadcast(state);
                ParameterAverage sum = shards
                        .mapPartitionsWithIndex(new RoundTask(broadcast, network, batchMaker, plan, epoch, round,
                                learningRate), true)
                        .treeAggregate(new ParameterAverage(), ParameterAverage::add, ParameterAverage::merge);
                broadcast.destroy(false);
                ModelState next = sum.average(state);
                RoundStats stats = new RoundStats(epoch, plan.epochs(), round + 1, rounds, sum.workers(),
                        sum.examples(), sum.meanLoss(), System.nanoTime() - roundStart, sum.maxTrainNanos(),
                        4L * (state.params().length + state.updaterState().length), learningRate);
                boolean lossDiverged = !Double.isFinite(stats.meanLoss()) && sum.minibatches() > 0;
                if (lossDiverged || !DivergencePolicy.finite(next.params())
                        || !DivergencePolicy.finite(next.updaterState())) {
                    DivergedException diverged = new DivergedException(epoch, round + 1, stats.meanLoss(),
                            lossDiverged ? "" : " (the averaged parameters hold NaN or infinite values)");
                    if (!onDivergence.rollback() || rollbacks == onDivergence.maxRollbacks()) {
                        throw diverged;
                    }
                    // The round runs again from the state it started from (still `state`) at a lower rate.
                    rollbacks++;
                    rateScale *= onDivergence.rateFactor();
                    listener.onRollback(diverged.getMessage(), rateScale, rollbacks);
                    round--;
                    continue;
                }
                state = round + 1 == rounds ? next.atEpoch(epoch) : next;
                examples += stats.examples();
                minibatches += sum.minibatches();
                lossSum += stats.meanLoss() * sum.minibatches();
                overheadSum += stats.overheadShare();
                listener.onRound(stats, state,
                        round + 1 == rounds ? new Position(epoch + 1, 0) : new Position(epoch, round + 1));
                roundsRun++;
                // A listener may end the run between rounds (the benchmark's race to a test accuracy).
                if (listener.stopRequested()) {
                    break;
                }
            }
            shards.unpersist(false);
            EpochStats epochStats = new EpochStats(epoch, roundsRun, examples, lossSum / minibatches,
                    (System.nanoTime() - epochStart) / 1e9, overheadSum / Math.max(1, roundsRun));
            history.add(epochStats);
            listener.onEpochEnd(epochStats, state);
            if (listener.stopRequested()) {
                break;
            }
        }
        sc.clearJobGroup();
        sc.setJobDescription(null);
        return new TrainingResult(state, history);
    }

    /** The Spark job group of an epoch's jobs. */
    public static String jobGroup(int epoch) {
        return "epoch-" + epoch;
    }

    /**
     * Materialises the records on the executors and builds the network in every executor's cache, so that
     * loading the native libraries and the data is not charged to the first round's training time.
     */
    private void warmUp(JavaRDD<LabeledImage> records) {
        sc.setJobDescription("load the records and build the network on the executors");
        NetworkSpec spec = network;
        records.mapPartitions(shard -> {
            NativeThreads.limitTo(TaskContext.get().cpus());
            NetworkCache.withNetwork(spec, Networks::numParams);
            long n = 0;
            for (; shard.hasNext(); shard.next()) {
                n++;
            }
            return List.of(n).iterator();
        }).count();
    }
}
