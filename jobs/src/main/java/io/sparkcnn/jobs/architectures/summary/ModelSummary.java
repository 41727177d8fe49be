package io.sparkcnn.jobs.architectures.summary;

import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.train.NetworkSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A network's per-layer shapes, parameters, receptive fields, multiply-adds and activation memory for one image,
 * computed from its DL4J configuration and input type without allocating any weights. Building one checks the
 * geometry of every layer and throws {@link ModelGeometryException} naming the first layer that does not fit.
 */
public record ModelSummary(List<LayerRow> rows) {

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /** The summary of a network as the engine carries it, on images of {@code shape}. */
    public static ModelSummary of(NetworkSpec spec, ImageShape shape) {
        InputType input = InputType.convolutional(shape.height(), shape.width(), shape.channels());
        return spec.graph()
                ? of(ComputationGraphConfiguration.fromJson(spec.json()), input)
                : of(MultiLayerConfiguration.fromJson(spec.json()), input);
    }

    /** Works whether or not the configuration was built with {@code setInputType}; {@code input} is what counts. */
    public static ModelSummary of(MultiLayerConfiguration conf, InputType input) {
        List<LayerRow> rows = new ArrayList<>();
        Activations signal = Activations.of(input);
        rows.add(inputRow("input", signal));
        String previous = "input";
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName() == null ? "layer" + i : layer.getLayerName();
            LayerResult step = LayerArithmetic.apply(new LayerPosition(i, name, List.of(previous)), layer, signal);
            rows.add(step.row());
            signal = step.out();
            previous = name;
        }
        return new ModelSummary(rows);
    }

    /** One input type per network input, in the order of {@code conf.getNetworkInputs()}. */
    public static ModelSummary of(ComputationGraphConfiguration conf, InputType... inputs) {
        List<String> networkInputs = conf.getNetworkInputs();
        if (inputs.length != networkInputs.size()) {
            throw new IllegalArgumentException("the graph has inputs " + networkInputs + " but " + inputs.length
                    + " input types were given");
        }
        List<LayerRow> rows = new ArrayList<>();
        Map<String, Activations> signals = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            Activations signal = Activations.of(inputs[i]);
            signals.put(networkInputs.get(i), signal);
            rows.add(inputRow(networkInputs.get(i), signal));
        }
        int index = 0;
        for (String name : GraphOrder.of(conf)) {
            List<String> from = conf.getVertexInputs().get(name);
            List<Activations> ins = from.stream().map(signals::get).toList();
            LayerPosition site = new LayerPosition(index++, name, from);
            GraphVertex vertex = conf.getVertices().get(name);
            LayerResult step = vertex instanceof LayerVertex layerVertex
                    ? LayerArithmetic.apply(site, layerVertex.getLayerConf().getLayer(),
                            VertexArithmetic.joined(site, "Concat", ins))
                    : VertexArithmetic.apply(site, vertex, ins);
            rows.add(step.row());
            signals.put(name, step.out());
        }
        return new ModelSummary(rows);
    }

    public long totalParameters() {
        return rows.stream().mapToLong(LayerRow::parameters).sum();
    }

    public long totalMultiplyAdds() {
        return rows.stream().mapToLong(LayerRow::multiplyAdds).sum();
    }

    /** Every layer's output plus the input image itself, as 4-byte floats: what a forward pass keeps for backprop. */
    public long totalActivationBytes() {
        return rows.stream().mapToLong(LayerRow::activationBytes).sum();
    }

    public LayerRow row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer named '" + name + "' in the summary"));
    }

    /** An aligned plain-text table with a totals line, for a terminal or a log. */
    public String render() {
        return SummaryTable.render(this);
    }

    private static LayerRow inputRow(String name, Activations signal) {
        return new LayerRow(-1, name, "Input", List.of(), LayerRow.NONE, LayerRow.NONE, LayerRow.NONE,
                signal.volume(), 0, signal.field(), 0, signal.volume().elements() * LayerRow.BYTES_PER_ELEMENT);
    }
}
