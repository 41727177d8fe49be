package io.sparkcnn.jobs.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolutional layers of a layer stack or a graph, in the order the input flows through them, with their
 * weights and, for one input, their activations (DL4J's {@code feedForward}, inference mode).
 */
final class ConvLayers {
    /** A convolutional layer by its name, with its configuration (frozen wrappers removed) and DL4J layer. */
    record Conv(String name, ConvolutionLayer conf, Layer layer) {
        /** Standard 2-D filters {@code [out, in, kh, kw]}, or null for depthwise, separable, 1-D or 3-D ones. */
        INDArray filters() {
            INDArray w = layer.getParam("W");
            return conf.getClass() == ConvolutionLayer.class && w != null && w.rank() == 4 ? w : null;
        }
    }

    private ConvLayers() {}

    static List<Conv> of(NeuralNetwork net) {
        List<Conv> convs = new ArrayList<>();
        if (net instanceof MultiLayerNetwork mln) {
            for (int i = 0; i < mln.getnLayers(); i++) {
                add(convs, mln.getLayer(i), mln.getLayer(i).conf().getLayer().getLayerName() != null
                        ? mln.getLayer(i).conf().getLayer().getLayerName() : "layer" + i);
            }
        } else {
            ComputationGraph cg = (ComputationGraph) net;
            GraphVertex[] vertices = cg.getVertices();
            for (int i : cg.topologicalSortOrder()) {
                if (vertices[i].hasLayer()) {
                    add(convs, vertices[i].getLayer(), vertices[i].getVertexName());
                }
            }
        }
        return convs;
    }

    private static void add(List<Conv> convs, Layer layer, String name) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof FrozenLayer frozen) {
            conf = frozen.getLayer();
        }
        if (conf instanceof ConvolutionLayer conv) {
            convs.add(new Conv(name, conv, layer));
        }
    }

    /** Each convolutional layer's output for {@code input} {@code [1, C, H, W]}, as {@code [1, C, H, W]}. */
    static Map<Conv, INDArray> activations(NeuralNetwork net, INDArray input) {
        List<Conv> convs = of(net);
        Map<Conv, INDArray> out = new LinkedHashMap<>();
        if (net instanceof MultiLayerNetwork mln) {
            List<INDArray> all = mln.feedForward(input, false);
            for (int i = 0; i < mln.getnLayers(); i++) {
                for (Conv c : convs) {
                    if (c.layer() == mln.getLayer(i)) {
                        out.put(c, nchw(c, all.get(i + 1)));
                    }
                }
            }
        } else {
            Map<String, INDArray> all = ((ComputationGraph) net).feedForward(input, false);
            for (Conv c : convs) {
                out.put(c, nchw(c, all.get(c.name())));
            }
        }
        return out;
    }

    private static INDArray nchw(Conv c, INDArray a) {
        if (a == null || a.rank() != 4) {
            return null;
        }
        return c.conf().getCnn2dDataFormat() == CNN2DFormat.NHWC ? a.permute(0, 3, 1, 2) : a;
    }
}
