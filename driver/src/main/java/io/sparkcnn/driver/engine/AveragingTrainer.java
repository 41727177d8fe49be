package io.sparkcnn.driver.engine;

import io.sparkcnn.driver.shard.EpochBlocks;
import io.sparkcnn.driver.shard.EpochShards;
import io.sparkcnn.driver.shard.Sharder;
import io.sparkcnn.driver.shard.WorkerShards;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.exchange.InProcessMesh;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import io.sparkcnn.workers.train.TaskPhases;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag$;

/**
 * Data-parallel minibatch SGD with parameter averaging, as in SparkNet: every round the driver broadcasts the
 * parameters and updater state, every worker runs a block of tau minibatch steps on its shard, a tree
 * aggregation sums the results in partition order ({@link OrderedTreeSum}) and the driver averages them. Each
 * epoch reshuffles the shards from the job's seed. With an adaptive {@link AveragingSchedule} a round may cover
 * several blocks, k, which the schedule changes after each round from how far the workers' updates spread.
 *
 * <p>Words: a step is one minibatch SGD step on a worker; a block is tau steps; a round is one broadcast, train
 * and average cycle, covering k blocks. It knows nothing of the architecture: it gets a DL4J configuration and
 * a starting state. Everything a round computes follows from the seed, the epoch and the round's first block,
 * so a run resumed from a checkpoint's {@link Position} and k repeats exactly what the uninterrupted run did.
 */
public final class AveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainingPlan plan;
    private final NetworkSpec network;
    private final BatchMaker batchMaker;
    private final LearningRateSchedule schedule;
    private final DivergencePolicy onDivergence;
    private final AveragingSchedule averaging;
    private final Exchange exchange;

    public AveragingTrainer(JavaSparkContext sc, TrainingPlan plan, NetworkSpec network, BatchMaker batchMaker,
                            LearningRateSchedule schedule) {
        this(sc, plan, network, batchMaker, schedule, DivergencePolicy.STOP, AveragingSchedule.FIXED, Exchange.TREE);
    }

    private AveragingTrainer(JavaSparkContext sc, TrainingPlan plan, NetworkSpec network, BatchMaker batchMaker,
                             LearningRateSchedule schedule, DivergencePolicy onDivergence,
                             AveragingSchedule averaging, Exchange exchange) {
        this.sc = sc;
        this.plan = plan;
        this.network = network;
        this.batchMaker = batchMaker;
        this.schedule = schedule;
        this.onDivergence = onDivergence;
        this.averaging = averaging;
        this.exchange = exchange;
    }

    /** The same trainer with another reaction to a diverged round (by default it stops). */
    public AveragingTrainer onDivergence(DivergencePolicy policy) {
        return new AveragingTrainer(sc, plan, network, batchMaker, schedule, policy, averaging, exchange);
    }

    /** The same trainer with another averaging schedule (by default {@link AveragingSchedule#FIXED}). */
    public AveragingTrainer averaging(AveragingSchedule averagingSchedule) {
        return new AveragingTrainer(sc, plan, network, batchMaker, schedule, onDivergence, averagingSchedule,
                exchange);
    }

    /** The same trainer summing the workers' results another way (by default {@link Exchange#TREE}). */
    public AveragingTrainer exchange(Exchange how) {
        return new AveragingTrainer(sc, plan, network, batchMaker, schedule, onDivergence, averaging, how);
    }

    /** Trains from {@code start} on {@code records}, whose ids must be 0 to {@code recordCount - 1}. */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start,
                              TrainingListener listener) {
        return fit(records, recordCount, start, Position.START, listener);
    }

    /** Continues a run at {@code from} with the state it had there. */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start, Position from,
                              TrainingListener listener) {
        return fit(records, recordCount, start, from, 1, listener);
    }

    /**
     * Continues a run at {@code from} with the state it had there and the blocks its schedule had chosen for the
     * next round ({@link RoundStats#nextRoundBlocks()}, which checkpoints keep).
     */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start, Position from,
                              int firstRoundBlocks, TrainingListener listener) {
        return fit(records, recordCount, start, from, firstRoundBlocks, List.of(listener));
    }

    /** As above, with several listeners, each told of every event in their order (one concern each). */
    public TrainingResult fit(JavaRDD<LabeledImage> records, int recordCount, ModelState start, Position from,
                              int firstRoundBlocks, List<? extends TrainingListener> listeners) {
        if (exchange == Exchange.BARRIER) {
            checkBarrierFits();
        }
        warmUp(records);
        // k: the blocks of tau steps the next round covers. Positions count blocks, so they mean the same whatever k.
        int k = averaging.clamp(firstRoundBlocks);
        ModelState state = start;
        List<EpochStats> history = new ArrayList<>();
        double rateScale = 1;
        int rollbacks = 0;
        // The listeners' time after the last round, which the next round's phases report (RoundPhases).
        long listenersNanos = 0;
        for (int epoch = from.epoch(); epoch <= plan.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            // The Spark UI groups an epoch's jobs (its setup, its rounds, then the listeners' validation) under one
            // name.
            sc.setJobGroup(jobGroup(epoch), String.format("epoch %d/%d", epoch, plan.epochs()), false);
            if (exchange == Exchange.BARRIER) {
                int first = epoch == from.epoch() ? from.block() : 0;
                BarrierEpoch done = barrierEpoch(records, recordCount, epoch, first, state, k, rateScale,
                        listenersNanos, listeners);
                state = done.state();
                k = done.nextRoundBlocks();
                listenersNanos = done.listenersNanos();
                history.add(done.stats());
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(done.stats(), state);
                }
                if (stopRequested(listeners)) {
                    break;
                }
                continue;
            }
            sc.setJobDescription(String.format("epoch %d/%d: dealing the records into blocks", epoch, plan.epochs()));
            EpochShards dealt = EpochShards.deal(recordCount, plan.workers(), plan.seed(), epoch);
            EpochBlocks shards = Sharder.blocksFor(sc, records, dealt, plan.batchSizePerWorker(),
                    plan.averagingFrequency());
            shards.writeBlocks();
            double setupSeconds = (System.nanoTime() - epochStart) / 1e9;
            int blocksInEpoch = shards.layout().blocksPerWorker();
            long examples = 0;
            long minibatches = 0;
            double lossSum = 0;
            double overheadSum = 0;
            int firstBlock = epoch == from.epoch() ? from.block() : 0;
            int roundsRun = 0;
            for (int block = firstBlock; block < blocksInEpoch; ) {
                // The epoch's last round takes only the blocks left.
                int blocks = Math.min(k, blocksInEpoch - block);
                int end = block + blocks;
                sc.setJobDescription(blocks == 1
                        ? String.format("epoch %d/%d, block %d/%d", epoch, plan.epochs(), end, blocksInEpoch)
                        : String.format("epoch %d/%d, blocks %d-%d/%d", epoch, plan.epochs(), block + 1, end,
                                blocksInEpoch));
                long roundStart = System.nanoTime();
                double learningRate = schedule.rate(epoch, state.iterations()) * rateScale;
                Broadcast<ModelState> broadcast = sc.broadcast(state);
                long submitted = System.nanoTime();
                ParameterAverage sum = exchange.sum(shards.round(block, blocks).mapPartitionsWithIndex(
                        new RoundTask(broadcast, network, batchMaker, plan, epoch, block, blocks, learningRate), true));
                long summed = System.nanoTime();
                broadcast.destroy(false);
                long averageStart = System.nanoTime();
                ParameterAverage.Averaged averaged = sum.averageInPlace(state);
                ModelState next = averaged.state();
                double spread = averaged.spread();
                boolean lossDiverged = DivergencePolicy.lossDiverged(sum);
                boolean diverged = lossDiverged || !averaged.finite();
                long averageEnd = System.nanoTime();
                RoundPhases phases = new RoundPhases((submitted - roundStart) + (averageStart - summed),
                        summed - submitted, sum.driverMergeNanos(), averageEnd - averageStart, listenersNanos,
                        sum.slowestTask());
                RoundStats stats = new RoundStats(epoch, plan.epochs(), end, blocksInEpoch, sum.workers(),
                        sum.examples(), sum.meanLoss(), System.nanoTime() - roundStart, sum.maxTrainNanos(),
                        4L * (state.params().length + state.updaterState().length), learningRate, blocks, spread,
                        averaging.next(k, spread), phases);
                if (diverged) {
                    DivergedException divergedRound = new DivergedException(epoch, block + 1, end, stats.meanLoss(),
                            lossDiverged ? "" : " (the averaged parameters hold NaN or infinite values)");
                    if (!onDivergence.rollback() || rollbacks == onDivergence.maxRollbacks()) {
                        throw divergedRound;
                    }
                    // The round runs again from the state it started from (still `state`) at a lower rate.
                    rollbacks++;
                    rateScale *= onDivergence.rateFactor();
                    for (TrainingListener l : listeners) {
                        l.onRollback(divergedRound.getMessage(), rateScale, rollbacks);
                    }
                    continue;
                }
                state = end == blocksInEpoch ? next.atEpoch(epoch) : next;
                examples += stats.examples();
                minibatches += sum.minibatches();
                lossSum += stats.meanLoss() * sum.minibatches();
                overheadSum += stats.overheadShare();
                Position resumeAt = end == blocksInEpoch ? new Position(epoch + 1, 0) : new Position(epoch, end);
                long listening = System.nanoTime();
                for (TrainingListener l : listeners) {
                    l.onRound(stats, state, resumeAt);
                }
                listenersNanos = System.nanoTime() - listening;
                roundsRun++;
                block = end;
                k = stats.nextRoundBlocks();
                // A listener may end the run between rounds (the benchmark's race to a test accuracy).
                if (stopRequested(listeners)) {
                    break;
                }
            }
            shards.release();
            EpochStats epochStats = new EpochStats(epoch, roundsRun, examples, lossSum / minibatches,
                    (System.nanoTime() - epochStart) / 1e9, setupSeconds, overheadSum / Math.max(1, roundsRun));
            history.add(epochStats);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(epochStats, state);
            }
            if (stopRequested(listeners)) {
                break;
            }
        }
        sc.clearJobGroup();
        sc.setJobDescription(null);
        return new TrainingResult(state, history);
    }

    /** A fresh secret for an epoch's mesh of workers, sent inside its tasks. */
    private static byte[] token() {
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return token;
    }

    /** What an epoch of the barrier exchange leaves for the next: its stats, state and k, the listeners' time. */
    private record BarrierEpoch(EpochStats stats, ModelState state, int nextRoundBlocks, long listenersNanos) {}

    /**
     * The rest of an epoch from block {@code firstBlock} with the barrier exchange: one job, one task per worker
     * that runs all the epoch's rounds and averages among the workers ({@link EpochTask}). The driver sees the
     * epoch as one round: its listeners hear of it once, with the state at the epoch's end, and its stats sum the
     * rounds inside (their slowest training steps, so that the overhead share means what it means for a round).
     */
    private BarrierEpoch barrierEpoch(JavaRDD<LabeledImage> records, int recordCount, int epoch, int firstBlock,
                                      ModelState state, int k, double rateScale, long listenersNanos,
                                      List<? extends TrainingListener> listeners) {
        long epochStart = System.nanoTime();
        sc.setJobDescription(String.format("epoch %d/%d: dealing the records into shards", epoch, plan.epochs()));
        EpochShards dealt = EpochShards.deal(recordCount, plan.workers(), plan.seed(), epoch);
        WorkerShards shards = Sharder.shardsFor(sc, records, dealt, plan.batchSizePerWorker(),
                plan.averagingFrequency());
        shards.writeShards();
        double setupSeconds = (System.nanoTime() - epochStart) / 1e9;
        int blocksInEpoch = shards.layout().blocksPerWorker();
        sc.setJobDescription(String.format("epoch %d/%d, blocks %d-%d/%d, averaged among the workers (barrier)",
                epoch, plan.epochs(), firstBlock + 1, blocksInEpoch, blocksInEpoch));
        long roundStart = System.nanoTime();
        // The schedule reads only the epoch and the global step, so its rates for the epoch's steps can go ahead.
        double[] rates = new double[(blocksInEpoch - firstBlock) * plan.averagingFrequency() + 1];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = schedule.rate(epoch, state.iterations() + (long) i) * rateScale;
        }
        Broadcast<ModelState> broadcast = sc.broadcast(state);
        byte[] token = token();
        long submitted = System.nanoTime();
        List<EpochTask.Outcome> outcomes;
        try {
            outcomes = shards.records().rdd().barrier()
                    .mapPartitions(new EpochTask(broadcast, network, batchMaker, plan, averaging, epoch, firstBlock,
                            blocksInEpoch, shards.layout().recordsPerBlock(), k, rates, token, sparkEncrypts(),
                            sc.isLocal()), false, ClassTag$.MODULE$.apply(EpochTask.Outcome.class))
                    .toJavaRDD().collect();
        } finally {
            // Local mode's workers met in this JVM; a failed stage attempt may have left its meeting point behind.
            InProcessMesh.forget(token);
        }
        long finished = System.nanoTime();
        broadcast.destroy(false);
        shards.release();
        EpochTask.Outcome first = outcomes.stream().filter(o -> o.worker() == 0).findFirst().orElseThrow();
        TaskPhases slowest = outcomes.stream().map(EpochTask.Outcome::phases)
                .max(Comparator.comparingLong(TaskPhases::totalNanos)).orElse(TaskPhases.NONE);
        List<EpochTask.Round> rounds = first.rounds();
        EpochTask.Round last = rounds.get(rounds.size() - 1);
        if (first.diverged()) {
            throw new DivergedException(epoch, last.firstBlock() + 1, last.firstBlock() + last.blocks(),
                    last.meanLoss(), " (the barrier exchange stops there: it has no driver between its rounds to"
                    + " roll back)");
        }
        long examples = 0;
        long minibatches = 0;
        double lossSum = 0;
        long maxTrainNanos = 0;
        for (EpochTask.Round r : rounds) {
            examples += r.examples();
            minibatches += r.minibatches();
            lossSum += r.meanLoss() * r.minibatches();
            maxTrainNanos += r.maxTrainNanos();
        }
        long ended = System.nanoTime();
        RoundPhases phases = new RoundPhases((submitted - roundStart) + (ended - finished), finished - submitted, 0,
                0, listenersNanos, slowest);
        RoundStats stats = new RoundStats(epoch, plan.epochs(), blocksInEpoch, blocksInEpoch,
                rounds.stream().mapToInt(EpochTask.Round::workers).max().orElse(0), examples,
                minibatches == 0 ? Double.NaN : lossSum / minibatches, ended - roundStart, maxTrainNanos,
                4L * (state.params().length + state.updaterState().length), rounds.get(0).learningRate(),
                blocksInEpoch - firstBlock, last.spread(), first.nextRoundBlocks(), phases);
        long listening = System.nanoTime();
        for (TrainingListener l : listeners) {
            l.onRound(stats, first.state(), new Position(epoch + 1, 0));
        }
        long listened = System.nanoTime() - listening;
        EpochStats epochStats = new EpochStats(epoch, rounds.size(), examples,
                minibatches == 0 ? Double.NaN : lossSum / minibatches, (System.nanoTime() - epochStart) / 1e9,
                setupSeconds, stats.overheadShare());
        return new BarrierEpoch(epochStats, first.state(), first.nextRoundBlocks(), listened);
    }

    /**
     * The barrier exchange's limit, checked before any job: it has no driver between rounds to roll a diverged one
     * back.
     */
    private void checkBarrierFits() {
        if (onDivergence.rollback()) {
            throw new IllegalArgumentException("training.on-divergence = rollback needs the driver between rounds,"
                    + " which training.exchange = barrier does not have: use 'stop' with it, or the 'tree' exchange.");
        }
    }

    /**
     * Whether this job's Spark encrypts its own traffic, and so the barrier exchange's mesh must seal its messages
     * too: they would otherwise be the one part of the job that crosses the network in the clear.
     */
    private boolean sparkEncrypts() {
        return sc.getConf().getBoolean("spark.network.crypto.enabled", false)
                || sc.getConf().getBoolean("spark.ssl.enabled", false);
    }

    private static boolean stopRequested(List<? extends TrainingListener> listeners) {
        return listeners.stream().anyMatch(TrainingListener::stopRequested);
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
