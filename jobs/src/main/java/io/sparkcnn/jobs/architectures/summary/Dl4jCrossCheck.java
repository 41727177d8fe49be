package io.sparkcnn.jobs.architectures.summary;

import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Asks DL4J for its own output shape and parameter count of a layer or vertex, on a copy with nIn set the way
 * DL4J's builder would set it: to check the summary's arithmetic, and to measure layers the summary does not know.
 */
final class Dl4jCrossCheck {
    private Dl4jCrossCheck() {}

    /** A disagreement is a bug in this package, so it fails loudly rather than printing a wrong table. */
    static void layer(LayerPosition site, String type, Layer layer, Activations in, LayerResult ours) {
        Prepared dl4j = prepare(layer, in);
        compare(site, type, ours, dl4j.layer.getOutputType(site.index(), dl4j.input),
                dl4j.layer.initializer().numParams(dl4j.layer));
    }

    static void vertex(LayerPosition site, String type, GraphVertex vertex, List<Activations> ins, LayerResult ours) {
        compare(site, type, ours, vertex.getOutputType(site.index(), inputTypes(ins)), vertex.numParams(true));
    }

    static LayerResult measuredByDl4j(LayerPosition site, Layer layer, Activations in) {
        String type = layer.getClass().getSimpleName();
        try {
            Prepared dl4j = prepare(layer, in);
            Activations out = outgoing(in.field(), dl4j.layer.getOutputType(site.index(), dl4j.input));
            long parameters = dl4j.layer.initializer().numParams(dl4j.layer);
            return new LayerResult(site.row(type, null, out, parameters, 0), out);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(site.describe(type) + " on a " + in.volume() + " input: " + e.getMessage(),
                    e);
        }
    }

    static LayerResult vertexMeasuredByDl4j(LayerPosition site, GraphVertex vertex, List<Activations> ins, ReceptiveField field) {
        String type = vertex.getClass().getSimpleName();
        try {
            Activations out = outgoing(field, vertex.getOutputType(site.index(), inputTypes(ins)));
            return new LayerResult(site.row(type, null, out, vertex.numParams(true), 0), out);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(site.describe(type) + ": " + e.getMessage(), e);
        }
    }

    private static void compare(LayerPosition site, String type, LayerResult ours, InputType theirOutput, long theirParameters) {
        Volume theirVolume = Activations.of(theirOutput).volume();
        long ourParameters = ours.row().parameters();
        if (!theirVolume.equals(ours.out().volume()) || theirParameters != ourParameters) {
            throw new IllegalStateException("model summary bug at " + site.describe(type) + ": the shape arithmetic "
                    + "gives " + ours.out().volume() + " and " + ourParameters + " parameters, DL4J gives "
                    + theirVolume + " and " + theirParameters);
        }
    }

    /** As DL4J's builders do: convert the input for the layer (flatten an image for a dense layer), then set nIn. */
    private static Prepared prepare(Layer layer, Activations in) {
        InputType input = in.inputType();
        InputPreProcessor preProcessor = layer.getPreProcessorForInputType(input);
        if (preProcessor != null) {
            input = preProcessor.getOutputType(input);
        }
        Layer copy = layer.clone();
        copy.setNIn(input, true);
        return new Prepared(copy, input);
    }

    private static Activations outgoing(ReceptiveField field, InputType output) {
        Activations shape = Activations.of(output);
        return new Activations(shape.volume(), shape.spatial(), field);
    }

    private static InputType[] inputTypes(List<Activations> ins) {
        return ins.stream().map(Activations::inputType).toArray(InputType[]::new);
    }

    private record Prepared(Layer layer, InputType input) {}
}
