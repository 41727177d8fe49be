package io.sparkcnn.jobs.architectures.summary;

import java.util.List;

/** Where a layer sits in the network: its index, its name and the names of the vertices feeding it. */
record LayerPosition(int index, String name, List<String> inputs) {

    String describe(String type) {
        return "layer " + index + " '" + name + "' (" + type + ")";
    }

    LayerRow row(String type, Window window, Activations out, long parameters, long multiplyAdds) {
        return window == null
                ? row(type, LayerRow.NONE, LayerRow.NONE, LayerRow.NONE, out, parameters, multiplyAdds)
                : row(type, window.kernel(), window.stride(), window.padding(), out, parameters, multiplyAdds);
    }

    LayerRow row(String type, String kernel, String stride, String padding, Activations out, long parameters,
            long multiplyAdds) {
        return new LayerRow(index, name, type, inputs, kernel, stride, padding, out.volume(), parameters, out.field(),
                multiplyAdds, out.volume().elements() * LayerRow.BYTES_PER_ELEMENT);
    }
}
