package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.LocalTrainer;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.RoundResult;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's task in one round, run on the executor over the round's records of its shard (and no others, see
 * {@link io.sparkcnn.driver.shard.EpochBlocks#round}): decode the round's minibatches on the fly (tau for each of
 * its {@code blocks}), and train the executor's cached network on them from the broadcast state, timing each phase
 * of the task ({@link io.sparkcnn.workers.train.TaskPhases}).
 */
final class RoundTask implements Function2<Integer, Iterator<LabeledImage>, Iterator<RoundResult>> {
    private final Broadcast<ModelState> state;
    private final NetworkSpec network;
    private final BatchMaker batchMaker;
    private final TrainingPlan plan;
    private final int epoch;
    /** The first block of tau steps this round covers, counted from 0 in the epoch. */
    private final int firstBlock;
    private final int blocks;
    private final double learningRate;

    RoundTask(Broadcast<ModelState> state, NetworkSpec network, BatchMaker batchMaker, TrainingPlan plan, int epoch,
              int firstBlock, int blocks, double learningRate) {
        this.state = state;
        this.network = network;
        this.batchMaker = batchMaker;
        this.plan = plan;
        this.epoch = epoch;
        this.firstBlock = firstBlock;
        this.blocks = blocks;
        this.learningRate = learningRate;
    }

    @Override
    public Iterator<RoundResult> call(Integer partition, Iterator<LabeledImage> thisRound) {
        long began = System.nanoTime();
        // The first record waits for the shuffle to fetch the round's blocks: part of waiting for the first minibatch.
        if (!thisRound.hasNext()) {
            return Collections.emptyIterator();
        }
        long open = System.nanoTime() - began;
        NativeThreads.limitTo(TaskContext.get().cpus());
        // Seeded by the block the round starts at: with one block per round, exactly as the engine always did. The
        // partition index is the worker's, as EpochBlocks.round numbers a round's partitions.
        Nd4j.getRandom().setSeed(Seeds.of(plan.seed(), "worker-step", epoch, firstBlock, partition));
        int steps = blocks * plan.averagingFrequency();
        Iterator<DataSet> batches = batchMaker.trainingMinibatches(thisRound, plan.batchSizePerWorker(), plan.seed(),
                epoch, firstBlock, plan.averagingFrequency(), partition);
        try {
            return NetworkCache.withNetwork(network, net -> {
                long fetching = System.nanoTime();
                ModelState start = state.value();
                long fetch = System.nanoTime() - fetching;
                return LocalTrainer.train(net, start, batches, steps, learningRate)
                        .map(r -> r.withPhases(r.phases().inTask(fetch, open, System.nanoTime() - began)))
                        .map(List::of).orElse(List.of()).iterator();
            });
        } finally {
            BatchMaker.close(batches);
        }
    }
}
