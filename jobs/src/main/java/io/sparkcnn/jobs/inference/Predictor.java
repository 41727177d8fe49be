package io.sparkcnn.jobs.inference;

import io.sparkcnn.workers.augment.TestTimeAugmentation;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.image.BadImageException;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an executor does with a partition of image files: decode and preprocess each as the model was trained,
 * classify them in minibatches with the executor's cached network (the softmax averaged over the views {@code tta}
 * makes of each input), and turn every file into a {@link Prediction}, a failed one for a file that cannot be used,
 * so that no file is dropped.
 */
record Predictor(NetworkSpec spec, Broadcast<ModelState> state, ModelInfo info, int topK, int batchSize,
                 TestTimeAugmentation tta) implements Serializable {

    Iterator<Prediction> predict(Iterator<LabeledImage> records) {
        if (!records.hasNext()) {
            return List.<Prediction>of().iterator();
        }
        TaskContext task = TaskContext.get();
        NativeThreads.limitTo(task == null ? 1 : task.cpus());
        return NetworkCache.withNetwork(spec, net -> {
            state.value().applyTo(net);
            int pixels = info.shape().pixels();
            List<Prediction> out = new ArrayList<>();
            List<String> batch = new ArrayList<>(batchSize);
            float[] features = new float[batchSize * pixels];
            while (records.hasNext()) {
                LabeledImage record = records.next();
                try {
                    Image input = info.input(record.pixels(), record.describe());
                    input.writeChw(features, batch.size() * pixels);
                    batch.add(record.describe());
                } catch (DataException e) {
                    out.add(Prediction.failed(record.describe(), why(record.describe(), e)));
                }
                if (batch.size() == batchSize || (!records.hasNext() && !batch.isEmpty())) {
                    INDArray x = Nd4j.create(java.util.Arrays.copyOf(features, batch.size() * pixels),
                            new long[] {batch.size(), info.channels(), info.height(), info.width()}, 'c');
                    float[][] probabilities = tta.averaged(x, view -> Networks.output(net, view)).toFloatMatrix();
                    for (int i = 0; i < batch.size(); i++) {
                        out.add(Prediction.top(batch.get(i), probabilities[i], info.classNames(), topK));
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        });
    }

    /** The reason code and message, without the path the row already names. */
    static String why(String path, DataException e) {
        String message = e.getMessage().startsWith(path + ": ") ? e.getMessage().substring(path.length() + 2)
                : e.getMessage();
        return BadImageException.in(e).map(bad -> message).orElse("unusable: " + message);
    }
}
