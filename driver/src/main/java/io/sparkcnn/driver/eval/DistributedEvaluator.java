package io.sparkcnn.driver.eval;

import io.sparkcnn.workers.data.BatchMaker;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates a model state on an RDD of records: every partition fills a DL4J {@link Evaluation} with its
 * executor's cached network, and the driver merges them: accuracy, top-5 accuracy when there are more than
 * five classes, per-class precision, recall and F1, and the confusion matrix.
 */
public final class DistributedEvaluator {
    private DistributedEvaluator() {}

    public static Evaluation evaluate(JavaSparkContext sc, JavaRDD<LabeledImage> records, NetworkSpec network,
                                      ModelState state, BatchMaker batchMaker, List<String> classNames,
                                      int batchSize) {
        Broadcast<ModelState> broadcast = sc.broadcast(state);
        int topN = classNames.size() > 5 ? 5 : 1;
        try {
            return records.mapPartitions(shard -> {
                Evaluation evaluation = new Evaluation(classNames, topN);
                if (!shard.hasNext()) {
                    return List.of(evaluation).iterator();
                }
                NativeThreads.limitTo(TaskContext.get().cpus());
                Iterator<DataSet> batches = batchMaker.minibatches(shard, batchSize, 0, 0);
                try {
                    return NetworkCache.withNetwork(network, net -> {
                        broadcast.value().applyTo(net);
                        while (batches.hasNext()) {
                            DataSet batch = batches.next();
                            evaluation.eval(batch.getLabels(), Networks.output(net, batch.getFeatures()));
                        }
                        return List.of(evaluation).iterator();
                    });
                } finally {
                    BatchMaker.close(batches);
                }
            }).reduce((a, b) -> {
                a.merge(b);
                return a;
            });
        } finally {
            broadcast.destroy(false);
        }
    }
}
