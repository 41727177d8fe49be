package io.sparkcnn.driver.engine;

import io.sparkcnn.workers.Seeds;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.Minibatches;
import io.sparkcnn.workers.train.LocalTrainer;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.RoundResult;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's task in one round, run on the executor over its shard: skip the minibatches of earlier rounds,
 * decode the next tau minibatches on the fly, and train the executor's cached network on them from the
 * broadcast state.
 */
final class RoundTask implements Function2<Integer, Iterator<LabeledImage>, Iterator<RoundResult>> {
    private final Broadcast<ModelState> state;
    private final String configurationJson;
    private final ImageShape shape;
    private final int classes;
    private final TrainingPlan plan;
    private final int epoch;
    private final int round;

    RoundTask(Broadcast<ModelState> state, String configurationJson, ImageShape shape, int classes,
              TrainingPlan plan, int epoch, int round) {
        this.state = state;
        this.configurationJson = configurationJson;
        this.shape = shape;
        this.classes = classes;
        this.plan = plan;
        this.epoch = epoch;
        this.round = round;
    }

    @Override
    public Iterator<RoundResult> call(Integer partition, Iterator<LabeledImage> shard) {
        long skip = (long) round * plan.averagingFrequency() * plan.batchSizePerWorker();
        for (long i = 0; i < skip && shard.hasNext(); i++) {
            shard.next();
        }
        if (!shard.hasNext()) {
            return Collections.emptyIterator();
        }
        NativeThreads.limitTo(TaskContext.get().cpus());
        Nd4j.getRandom().setSeed(Seeds.of(plan.seed(), "worker-step", epoch, round, partition));
        Minibatches batches = new Minibatches(shard, shape, classes, plan.batchSizePerWorker());
        return NetworkCache.withNetwork(configurationJson,
                net -> LocalTrainer.train(net, state.value(), batches, plan.averagingFrequency())
                        .map(List::of).orElse(List.of()).iterator());
    }
}
