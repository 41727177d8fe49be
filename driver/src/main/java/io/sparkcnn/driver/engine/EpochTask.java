package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.exchange.AllGather;
import io.sparkcnn.workers.exchange.InProcessMesh;
import io.sparkcnn.workers.exchange.PeerMesh;
import io.sparkcnn.workers.exchange.RoundResultCodec;
import io.sparkcnn.workers.train.LocalTrainer;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.RoundResult;
import io.sparkcnn.workers.train.TaskPhases;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker's task for the rest of an epoch with the barrier exchange ({@link Exchange#BARRIER}): the worker runs
 * every round of the epoch itself. A round ends in an all-gather that hands every worker every worker's change
 * ({@link PeerMesh}, connected once an epoch through Spark's barrier; {@link InProcessMesh} in local mode); each
 * worker then sums them in partition order and averages with the driver's own code ({@link ParameterAverage}), so
 * every worker holds the same bits the tree exchange's driver would, and starts the next round from them. What a
 * round of the other exchanges pays again and again (a job and its task launch, the state's broadcast, the wait
 * for a round's first minibatch) is paid once an epoch. The seeds are the other exchanges' (the round's first
 * block, the worker), so the run gives the tree's parameters bit for bit.
 */
final class EpochTask extends AbstractFunction1<scala.collection.Iterator<LabeledImage>,
        scala.collection.Iterator<EpochTask.Outcome>> implements Serializable {

    /** One round inside the task, as every worker saw it: the same on all of them. */
    record Round(int firstBlock, int blocks, int workers, long examples, int minibatches, double meanLoss,
                 long maxTrainNanos, double spread, double learningRate, long exchangeNanos, long averagingNanos)
            implements Serializable {}

    /**
     * What a worker's task returns: the rounds, the state after the last of them (worker 0 only: every worker holds
     * the same), the blocks the schedule chose for the next round, where this task's time went summed over its
     * rounds (the all-gather and the worker's average as the partial sum), and whether a round diverged (it is then
     * the last round, and the state is the one before it).
     */
    record Outcome(int worker, List<Round> rounds, ModelState state, int nextRoundBlocks, TaskPhases phases,
                   boolean diverged) implements Serializable {}

    private final Broadcast<ModelState> start;
    private final NetworkSpec network;
    private final BatchMaker batchMaker;
    private final TrainingPlan plan;
    private final AveragingSchedule averaging;
    private final int epoch;
    private final int firstBlock;
    private final int blocksInEpoch;
    private final int recordsPerBlock;
    private final int firstRoundBlocks;
    /** The learning rate at each global step from the start state's on, as the driver's schedule gives it. */
    private final double[] rates;
    /** The epoch's secret that opens every connection of the workers' mesh ({@link PeerMesh}). */
    private final byte[] token;
    /** Whether the mesh seals its messages (AES-GCM under the token): where Spark encrypts its own traffic. */
    private final boolean encrypt;
    /** Whether every worker is a task of the driver's JVM (local mode), which exchanges in memory. */
    private final boolean inProcess;

    EpochTask(Broadcast<ModelState> start, NetworkSpec network, BatchMaker batchMaker, TrainingPlan plan,
              AveragingSchedule averaging, int epoch, int firstBlock, int blocksInEpoch, int recordsPerBlock,
              int firstRoundBlocks, double[] rates, byte[] token, boolean encrypt, boolean inProcess) {
        this.start = start;
        this.network = network;
        this.batchMaker = batchMaker;
        this.plan = plan;
        this.averaging = averaging;
        this.epoch = epoch;
        this.firstBlock = firstBlock;
        this.blocksInEpoch = blocksInEpoch;
        this.recordsPerBlock = recordsPerBlock;
        this.firstRoundBlocks = firstRoundBlocks;
        this.rates = rates;
        this.token = token;
        this.encrypt = encrypt;
        this.inProcess = inProcess;
    }

    @Override
    public scala.collection.Iterator<Outcome> apply(scala.collection.Iterator<LabeledImage> shard) {
        long began = System.nanoTime();
        BarrierTaskContext context = BarrierTaskContext.get();
        int worker = context.partitionId();
        NativeThreads.limitTo(context.cpus());
        // In local mode the workers are tasks of this JVM and hand their changes over in memory (InProcessMesh).
        // Elsewhere Spark's own all-gather, once an epoch, tells every worker where the others listen (PeerMesh); it
        // takes a second at the least, so it runs while the worker reads its shard and trains its first round.
        try (PeerMesh.Listening listening = inProcess ? null
                     : PeerMesh.listen(hostOf(context.getTaskInfos()[worker].address()));
             AllGather.Joining joining = inProcess
                     ? InProcessMesh.join(token, context.stageAttemptNumber(), context.getTaskInfos().length, worker,
                             context::isInterrupted)
                     : listening.connectInBackground(worker, () -> List.of(context.allGather(listening.address())),
                             token, encrypt, context::isInterrupted)) {
            Iterator<LabeledImage> records = JavaConverters.asJavaIteratorConverter(shard).asJava();
            // The shard is read and sorted at its first record (see WorkerShards#records), here in the task's own
            // thread, as Spark's shuffle reader needs, and not in the minibatches' prefetch thread.
            long reading = System.nanoTime();
            records.hasNext();
            long readNanos = System.nanoTime() - reading;
            // A run resumed inside the epoch starts at a block boundary: the blocks before it were trained on already.
            for (long skip = (long) firstBlock * recordsPerBlock; skip > 0 && records.hasNext(); skip--) {
                records.next();
            }
            Iterator<DataSet> batches = batchMaker.trainingMinibatches(records, plan.batchSizePerWorker(),
                    plan.seed(), epoch, firstBlock, plan.averagingFrequency(), worker);
            try {
                Outcome outcome = NetworkCache.withNetwork(network, net -> {
                    long fetching = System.nanoTime();
                    ModelState first = start.value();
                    ModelState state = first;
                    long fetchNanos = System.nanoTime() - fetching;
                    RoundBuffers buffers = new RoundBuffers(context.getTaskInfos().length);
                    long baseIteration = state.iterations();
                    List<Round> rounds = new ArrayList<>();
                    Phases sum = new Phases();
                    int k = firstRoundBlocks;
                    boolean diverged = false;
                    for (int block = firstBlock; block < blocksInEpoch && !diverged; ) {
                        int blocks = Math.min(k, blocksInEpoch - block);
                        int end = block + blocks;
                        Nd4j.getRandom().setSeed(Seeds.of(plan.seed(), "worker-step", epoch, block, worker));
                        double rate = rates[Math.toIntExact(state.iterations() - baseIteration)];
                        Optional<RoundResult> mine = LocalTrainer.train(net, state, batches,
                                blocks * plan.averagingFrequency(), rate, buffers.lastChange);
                        mine.ifPresent(r -> sum.add(r.phases()));
                        long gathering = System.nanoTime();
                        byte[][] all = joining.mesh().allGather(buffers.encode(mine), buffers.inbox);
                        // Summed in worker order, as the tree's driver sums the partitions: the same bits on every
                        // worker.
                        ParameterAverage average = buffers.sum();
                        for (int w = 0; w < all.length; w++) {
                            if (w == worker) {
                                mine.ifPresent(average::add);
                            } else if (all[w].length > 0) {
                                average.add(buffers.decode(all[w]));
                            }
                        }
                        buffers.lastChange = mine.map(RoundResult::state).orElse(buffers.lastChange);
                        long gathered = System.nanoTime();
                        ParameterAverage.Averaged averaged = average.averageInPlace(state);
                        ModelState next = averaged.state();
                        double spread = averaged.spread();
                        diverged = DivergencePolicy.lossDiverged(average) || !averaged.finite();
                        long done = System.nanoTime();
                        sum.exchange(gathered - gathering, done - gathered);
                        rounds.add(new Round(block, blocks, average.workers(), average.examples(),
                                average.minibatches(), average.meanLoss(), average.maxTrainNanos(), spread, rate,
                                gathered - gathering, done - gathered));
                        if (!diverged) {
                            buffers.averagedPast(state, first);
                            state = end == blocksInEpoch ? next.atEpoch(epoch) : next;
                            k = averaging.next(k, spread);
                            block = end;
                        }
                    }
                    // Every worker of the stage takes part in Spark's all-gather, even one that had no round to run.
                    joining.mesh();
                    return new Outcome(worker, worker == 0 ? rounds : List.of(), worker == 0 ? state : null, k,
                            sum.total(fetchNanos, readNanos, System.nanoTime() - began), diverged);
                });
                return JavaConverters.asScalaIteratorConverter(List.of(outcome).iterator()).asScala();
            } finally {
                BatchMaker.close(batches);
            }
        }
    }

    /** The host of a barrier task's {@code host:port} address. */
    private static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    /**
     * The arrays of the state's size that a round needs, kept from round to round instead of allocated anew: the
     * change this worker takes from its network and sends, those it receives and decodes, and the sums. A LeNet-5
     * state with Adam is 5.2 MB, and five such arrays a round made the JVM's garbage collector run a cycle every
     * second or so in local mode (arrays that large are G1's humongous objects, each allocation a check of the
     * heap's occupancy): 28 of a local epoch's pauses, 2 with the arrays kept.
     */
    private static final class RoundBuffers {
        /** Every worker's message of the last round: the next round's are read into the same arrays. */
        final byte[][] inbox;
        /**
         * This worker's messages, the two used in turn: the other workers may read a round's message until they
         * come to the next round's all-gather ({@link InProcessMesh#allGather}).
         */
        private final byte[][] outgoing = new byte[2][];
        private int sent;
        private float[] peerParams;
        private float[] peerState;
        /** This worker's change of the last round, summed and sent: the next round's is written into its arrays. */
        ModelState lastChange;
        /** A state no round reads any more, whose arrays the next round's sum takes; null when there is none. */
        private ModelState spare;

        RoundBuffers(int workers) {
            this.inbox = new byte[workers][];
        }

        byte[] encode(Optional<RoundResult> mine) {
            if (mine.isEmpty()) {
                return new byte[0];
            }
            int turn = sent++ & 1;
            outgoing[turn] = RoundResultCodec.encode(mine.get(), outgoing[turn]);
            return outgoing[turn];
        }

        /** A peer's change, good until the next call: it is added into the sum at once. */
        RoundResult decode(byte[] bytes) {
            RoundResult r = RoundResultCodec.decode(bytes, peerParams, peerState);
            peerParams = r.state().params();
            peerState = r.state().updaterState();
            return r;
        }

        ParameterAverage sum() {
            ParameterAverage sum = spare == null ? new ParameterAverage()
                    : ParameterAverage.reusing(spare.params(), spare.updaterState());
            spare = null;
            return sum;
        }

        /**
         * The state a round started from, now that the round is averaged: nothing reads it again, so the next
         * round sums into its arrays; never the broadcast's own state, which the tasks of one JVM share.
         */
        void averagedPast(ModelState started, ModelState broadcast) {
            if (started.params() != broadcast.params() && started.updaterState() != broadcast.updaterState()) {
                spare = started;
            }
        }
    }

    /** This task's phases summed over its rounds. */
    private static final class Phases {
        private long load;
        private long firstBatch;
        private long steps;
        private long batchWait;
        private long result;
        private long exchange;

        void add(TaskPhases p) {
            load += p.stateLoadNanos();
            firstBatch += p.firstBatchNanos();
            steps += p.stepNanos();
            batchWait += p.batchWaitNanos();
            result += p.resultNanos();
        }

        void exchange(long gatherNanos, long averageNanos) {
            exchange += gatherNanos + averageNanos;
        }

        /** The sums, with the state's fetch and the shard's read (counted as the first minibatch's wait). */
        TaskPhases total(long fetchNanos, long readNanos, long taskNanos) {
            return new TaskPhases(fetchNanos, load, firstBatch + readNanos, steps, batchWait, result, exchange,
                    Math.max(0, taskNanos - exchange));
        }
    }
}
