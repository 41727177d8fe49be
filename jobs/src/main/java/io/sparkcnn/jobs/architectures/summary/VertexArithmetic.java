package io.sparkcnn.jobs.architectures.summary;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;

/**
 * The shape arithmetic of the graph vertices that join branches: concatenation along depth (merge) and
 * element-wise operations such as a residual add. Their output sees what the widest of their inputs sees.
 */
final class VertexArithmetic {
    private VertexArithmetic() {}

    static LayerResult apply(LayerPosition site, GraphVertex vertex, List<Activations> ins) {
        ReceptiveField field = widest(ins);
        if (vertex instanceof MergeVertex merge) {
            LayerResult step = concatenation(site, "Concat", ins, field);
            Dl4jCrossCheck.vertex(site, "Concat", merge, ins, step);
            return step;
        }
        if (vertex instanceof ElementWiseVertex elementWise) {
            String type = elementWise.getOp().name();
            LayerResult step = elementWise(site, type, ins, field);
            Dl4jCrossCheck.vertex(site, type, elementWise, ins, step);
            return step;
        }
        return Dl4jCrossCheck.vertexMeasuredByDl4j(site, vertex, ins, field);
    }

    /** What a layer with several inputs receives: DL4J concatenates them as a merge vertex would. */
    static Activations joined(LayerPosition site, String type, List<Activations> ins) {
        return ins.size() == 1 ? ins.get(0) : concatenation(site, type, ins, widest(ins)).out();
    }

    private static LayerResult concatenation(LayerPosition site, String type, List<Activations> ins, ReceptiveField field) {
        Activations first = ins.get(0);
        boolean spatial = first.spatial();
        for (Activations in : ins) {
            boolean sameMap = in.volume().width() == first.volume().width()
                    && in.volume().height() == first.volume().height();
            if (in.spatial() != spatial || (spatial && !sameMap)) {
                throw new ModelGeometryException(site.describe(type) + " concatenates inputs of different sizes ("
                        + sizes(site, ins) + "); concatenating along depth needs equal width and height.");
            }
        }
        long depth = ins.stream().mapToLong(in -> spatial ? in.volume().depth() : in.volume().elements()).sum();
        Volume out = spatial ? new Volume(first.volume().width(), first.volume().height(), depth) : Volume.vector(depth);
        Activations next = new Activations(out, spatial, field);
        return new LayerResult(site.row(type, null, next, 0, 0), next);
    }

    private static LayerResult elementWise(LayerPosition site, String type, List<Activations> ins, ReceptiveField field) {
        Activations first = ins.get(0);
        if (ins.stream().anyMatch(in -> !in.volume().equals(first.volume()))) {
            throw new ModelGeometryException(site.describe(type) + " combines inputs of different sizes ("
                    + sizes(site, ins) + "); an element-wise " + type + " needs equal volumes, for a residual "
                    + "shortcut usually a 1x1 convolution with the same stride on the shortcut branch.");
        }
        Activations next = new Activations(first.volume(), first.spatial(), field);
        return new LayerResult(site.row(type, null, next, 0, 0), next);
    }

    private static ReceptiveField widest(List<Activations> ins) {
        return ins.stream().map(Activations::field).reduce(ReceptiveField::widest).orElse(ReceptiveField.PIXEL);
    }

    private static String sizes(LayerPosition site, List<Activations> ins) {
        return IntStream.range(0, ins.size())
                .mapToObj(i -> "'" + site.inputs().get(i) + "' " + ins.get(i).volume())
                .collect(Collectors.joining(", "));
    }
}
