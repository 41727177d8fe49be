package io.sparkcnn.driver.eval;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.data.Minibatches;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates a model state on an RDD of records: every partition fills a DL4J {@link Evaluation} with its
 * executor's cached network, and the driver merges them (accuracy, per-class scores, confusion matrix).
 */
public final class DistributedEvaluator {
    private DistributedEvaluator() {}

    public static Evaluation evaluate(JavaSparkContext sc, JavaRDD<LabeledImage> records, String configurationJson,
                                      ModelState state, ImageShape shape, List<String> classNames, int batchSize) {
        Broadcast<ModelState> broadcast = sc.broadcast(state);
        int classes = classNames.size();
        try {
            return records.mapPartitions(shard -> {
                Evaluation evaluation = new Evaluation(classNames);
                if (!shard.hasNext()) {
                    return List.of(evaluation).iterator();
                }
                NativeThreads.limitTo(TaskContext.get().cpus());
                Minibatches batches = new Minibatches(shard, shape, classes, batchSize);
                return NetworkCache.withNetwork(configurationJson, net -> {
                    broadcast.value().applyTo(net);
                    while (batches.hasNext()) {
                        DataSet batch = batches.next();
                        evaluation.eval(batch.getLabels(), net.output(batch.getFeatures(), false));
                    }
                    return List.of(evaluation).iterator();
                });
            }).reduce((a, b) -> {
                a.merge(b);
                return a;
            });
        } finally {
            broadcast.destroy(false);
        }
    }
}
