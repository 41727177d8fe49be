package io.sparkcnn.jobs.architectures;

import java.io.File;
import java.io.IOException;

import java.util.List;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Transfer learning with DL4J's {@code TransferLearning} API: start from a saved model, replace its output
 * layer with a fresh one for the new job's classes, freeze the first N layers (their parameters stay as saved;
 * DL4J wraps them in frozen layers with no updater) and train the rest with the job's optimiser.
 */
public final class Finetune {
    private Finetune() {}

    /** Loads {@code modelZip}, a {@code model.zip} written by a training run, of either network kind. */
    public static NeuralNetwork load(String modelZip) {
        File file = new File(modelZip);
        if (!file.isFile()) {
            throw new IllegalArgumentException("model.finetune-from: " + modelZip + " does not exist; give the"
                    + " model.zip of an earlier run, e.g. runs/lenet5-fashion-.../model.zip.");
        }
        try {
            ModelZipCheck.refuseJavaSerialised(file);
            return isGraph(file) ? ModelSerializer.restoreComputationGraph(file, true)
                    : ModelSerializer.restoreMultiLayerNetwork(file, true);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("model.finetune-from: " + modelZip + " is not a readable DL4J model"
                    + " (" + e.getMessage() + ").", e);
        }
    }

    /** The saved network with a new output layer for {@code classes} and its first {@code freeze} layers frozen. */
    public static NeuralNetwork adapt(NeuralNetwork saved, int classes, int freeze, Hyper hyper) {
        FineTuneConfiguration tune = new FineTuneConfiguration.Builder().seed(hyper.seed()).updater(hyper.updater())
                .build();
        if (saved instanceof MultiLayerNetwork net) {
            int layers = net.getnLayers();
            checkFreeze(freeze, layers - 1);
            long nIn = ((FeedForwardLayer) net.getOutputLayer().conf().getLayer()).getNIn();
            TransferLearning.Builder b = new TransferLearning.Builder(net).fineTuneConfiguration(tune);
            if (freeze > 0) {
                b.setFeatureExtractor(freeze - 1);
            }
            return b.removeOutputLayer().addLayer(output(nIn, classes)).build();
        }
        ComputationGraph graph = (ComputationGraph) saved;
        List<String> outputs = graph.getConfiguration().getNetworkOutputs();
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("model.finetune-from: the saved graph has outputs " + outputs
                    + "; only single-output networks can be fine-tuned.");
        }
        String out = outputs.get(0);
        List<String> order = layerOrder(graph);
        checkFreeze(freeze, order.size() - 1);
        String feeding = graph.getConfiguration().getVertexInputs().get(out).get(0);
        long nIn = ((FeedForwardLayer) graph.getLayer(out).conf().getLayer()).getNIn();
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(graph).fineTuneConfiguration(tune);
        if (freeze > 0) {
            b.setFeatureExtractor(order.get(freeze - 1));
        }
        return b.removeVertexAndConnections(out).addLayer(out, output(nIn, classes), feeding).setOutputs(out).build();
    }

    private static List<String> layerOrder(ComputationGraph graph) {
        int[] order = graph.topologicalSortOrder();
        var vertices = graph.getVertices();
        return java.util.Arrays.stream(order).mapToObj(i -> vertices[i]).filter(v -> v.hasLayer())
                .map(v -> v.getVertexName()).toList();
    }

    private static void checkFreeze(int freeze, int trainable) {
        if (freeze > trainable) {
            throw new IllegalArgumentException("model.freeze-layers: " + freeze + " but the saved network has only "
                    + trainable + " layers before its output layer.");
        }
    }

    private static OutputLayer output(long nIn, int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
    }

    private static boolean isGraph(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            var entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IOException("no configuration.json inside");
            }
            String json = new String(zip.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return json.contains("\"vertices\"");
        }
    }
}
