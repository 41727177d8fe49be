package io.sparkcnn.driver.eval;

import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Evaluates a model state on an RDD of records: every partition fills a DL4J {@link Evaluation} with its
 * executor's cached network, and the driver merges them: accuracy, top-5 accuracy when there are more than
 * five classes, per-class precision, recall and F1, and the confusion matrix. With test-time augmentation the
 * network's softmax outputs are averaged over each minibatch's views on the executors.
 */
public final class DistributedEvaluator {
    private DistributedEvaluator() {}

    public static Evaluation evaluate(JavaSparkContext sc, JavaRDD<LabeledImage> records, NetworkSpec network,
                                      ModelState state, BatchMaker batchMaker, List<String> classNames,
                                      int batchSize) {
        return scored(sc, records, network, state, batchMaker, classNames, batchSize).evaluation();
    }

    /** An evaluation and the mean cross-entropy of the network's outputs (without the regularisation terms). */
    public record Scored(Evaluation evaluation, double meanLoss) implements Serializable {
        Scored merge(Scored other) {
            double n = evaluation.getNumRowCounter();
            double m = other.evaluation.getNumRowCounter();
            evaluation.merge(other.evaluation);
            double sum = (n == 0 ? 0 : meanLoss * n) + (m == 0 ? 0 : other.meanLoss * m);
            return new Scored(evaluation, n + m == 0 ? Double.NaN : sum / (n + m));
        }
    }

    /** As {@link #evaluate}, with the mean loss, for the report's validation and test loss. */
    public static Scored scored(JavaSparkContext sc, JavaRDD<LabeledImage> records, NetworkSpec network,
                                ModelState state, BatchMaker batchMaker, List<String> classNames, int batchSize) {
        return scored(sc, records, network, state, batchMaker, classNames, batchSize, TestTimeAugmentation.NONE);
    }

    /** As above, scoring the softmax outputs averaged over the views {@code tta} makes of every input. */
    public static Scored scored(JavaSparkContext sc, JavaRDD<LabeledImage> records, NetworkSpec network,
                                ModelState state, BatchMaker batchMaker, List<String> classNames, int batchSize,
                                TestTimeAugmentation tta) {
        Broadcast<ModelState> broadcast = sc.broadcast(state);
        int topN = classNames.size() > 5 ? 5 : 1;
        try {
            return records.mapPartitions(shard -> {
                Evaluation evaluation = new Evaluation(classNames, topN);
                if (!shard.hasNext()) {
                    return List.of(new Scored(evaluation, Double.NaN)).iterator();
                }
                NativeThreads.limitTo(TaskContext.get().cpus());
                Iterator<DataSet> batches = batchMaker.minibatches(shard, batchSize, 0, 0);
                try {
                    return NetworkCache.withNetwork(network, net -> {
                        broadcast.value().applyTo(net);
                        double lossSum = 0;
                        while (batches.hasNext()) {
                            DataSet batch = batches.next();
                            INDArray output = tta.averaged(batch.getFeatures(), x -> Networks.output(net, x));
                            evaluation.eval(batch.getLabels(), output);
                            lossSum += crossEntropySum(batch.getLabels(), output);
                        }
                        double rows = evaluation.getNumRowCounter();
                        return List.of(new Scored(evaluation, rows == 0 ? Double.NaN : lossSum / rows)).iterator();
                    });
                } finally {
                    BatchMaker.close(batches);
                }
            }).reduce(Scored::merge);
        } finally {
            broadcast.destroy(false);
        }
    }

    /** The summed cross-entropy of softmax outputs, the data term of the networks' MCXENT loss. */
    private static double crossEntropySum(INDArray labels, INDArray probabilities) {
        INDArray clipped = Transforms.max(probabilities, 1e-12, true);
        return -labels.mul(Transforms.log(clipped, false)).sumNumber().doubleValue();
    }
}
