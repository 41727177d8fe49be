package io.sparkcnn.workers.data;

import io.sparkcnn.workers.augment.BatchRecipe;
import java.util.Iterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A training batch maker with a {@link BatchRecipe} (label smoothing, mixup, cutmix) on every minibatch of a
 * training task. {@link #minibatches} alone has no round or worker to seed the recipe's draws from, so it gives
 * the plain batches of {@code batches}.
 */
public record RecipeBatches(BatchMaker batches, BatchRecipe recipe) implements BatchMaker {
    /** {@code batches} with {@code recipe}, or {@code batches} itself when the recipe changes nothing. */
    public static BatchMaker of(BatchMaker batches, BatchRecipe recipe) {
        return recipe.isNone() ? batches : new RecipeBatches(batches, recipe);
    }

    @Override
    public Iterator<DataSet> minibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch) {
        return batches.minibatches(records, batchSize, seed, epoch);
    }

    @Override
    public Iterator<DataSet> trainingMinibatches(Iterator<LabeledImage> records, int batchSize, long seed, int epoch,
                                                 int firstBlock, int tau, int worker) {
        return recipe.apply(batches.trainingMinibatches(records, batchSize, seed, epoch, firstBlock, tau, worker),
                seed, epoch, firstBlock, tau, worker);
    }
}
