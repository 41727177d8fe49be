package io.sparkcnn.jobs.ml;

import io.sparkcnn.jobs.inference.ModelInfo;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.image.Image;
import io.sparkcnn.workers.train.ModelState;
import io.sparkcnn.workers.train.NativeThreads;
import io.sparkcnn.workers.train.NetworkCache;
import io.sparkcnn.workers.train.NetworkSpec;
import io.sparkcnn.workers.train.Networks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an executor does with a partition of a DataFrame for {@link CnnClassificationModel} and
 * {@link CnnFeaturizer}: decode each row's image and preprocess it as the model was trained, run the executor's
 * cached network on minibatches, and append the outputs to the row: class probabilities, or one layer's
 * activations. A row whose image cannot be used keeps its place with null outputs and the reason in the error
 * column: no crash, no silent drop.
 *
 * @param layer null to classify; else the layer whose activations are the features (an index for a layer stack,
 *              a vertex name for a graph)
 */
record RowScorer(NetworkSpec spec, Broadcast<ModelState> state, ModelInfo info, ImageColumn kind, int inputIndex,
                 int batchSize, String layer) implements Serializable {

    Iterator<Row> score(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return List.<Row>of().iterator();
        }
        TaskContext task = TaskContext.get();
        NativeThreads.limitTo(task == null ? 1 : task.cpus());
        return NetworkCache.withNetwork(spec, net -> {
            state.value().applyTo(net);
            int pixels = info.shape().pixels();
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(batchSize);
            float[] features = new float[batchSize * pixels];
            long index = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                String where = "row " + index++;
                try {
                    Image input = input(row, where);
                    input.writeChw(features, batch.size() * pixels);
                    batch.add(row);
                } catch (DataException e) {
                    out.add(failed(row, e.getMessage()));
                }
                if (batch.size() == batchSize || (!rows.hasNext() && !batch.isEmpty())) {
                    INDArray x = Nd4j.create(Arrays.copyOf(features, batch.size() * pixels),
                            new long[] {batch.size(), info.channels(), info.height(), info.width()}, 'c');
                    double[][] outputs = outputs(net, x);
                    for (int i = 0; i < batch.size(); i++) {
                        out.add(scored(batch.get(i), outputs[i]));
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        });
    }

    private Image input(Row row, String where) {
        if (row.isNullAt(inputIndex)) {
            throw new DataException(where + ": no image (null)");
        }
        if (kind == ImageColumn.STRUCT) {
            Row image = row.getStruct(inputIndex);
            int origin = Arrays.asList(image.schema().fieldNames()).indexOf("origin");
            String path = origin >= 0 && !image.isNullAt(origin) && !image.getString(origin).isEmpty()
                    ? image.getString(origin) : where;
            return info.input(ImageColumn.decodeStruct(image, path), path);
        }
        return info.input((byte[]) row.get(inputIndex), where);
    }

    private double[][] outputs(NeuralNetwork net, INDArray x) {
        if (layer == null) {
            return Networks.output(net, x).toDoubleMatrix();
        }
        INDArray activations = net instanceof MultiLayerNetwork stack
                ? stack.feedForwardToLayer(Integer.parseInt(layer), x, false).get(Integer.parseInt(layer) + 1)
                : ((ComputationGraph) net).feedForward(x, false).get(layer);
        return activations.reshape('c', activations.size(0), -1).toDoubleMatrix();
    }

    private Row scored(Row row, double[] output) {
        if (layer != null) {
            return append(row, Vectors.dense(output), null);
        }
        int best = 0;
        double[] logs = new double[output.length];
        for (int c = 0; c < output.length; c++) {
            best = output[c] > output[best] ? c : best;
            // The softmax's inputs up to a constant; the floor keeps a zero probability finite.
            logs[c] = Math.log(Math.max(output[c], Double.MIN_NORMAL));
        }
        return append(row, (double) best, Vectors.dense(output), Vectors.dense(logs), null);
    }

    private Row failed(Row row, String why) {
        return layer != null ? append(row, null, why) : append(row, null, null, null, why);
    }

    private static Row append(Row row, Object... values) {
        Object[] all = new Object[row.length() + values.length];
        for (int i = 0; i < row.length(); i++) {
            all[i] = row.get(i);
        }
        System.arraycopy(values, 0, all, row.length(), values.length);
        return RowFactory.create(all);
    }
}
