package io.sparkcnn.jobs.architectures.summary;

import java.util.List;

/**
 * One line of the summary: a layer or graph vertex (or a network input, index -1), its window, its output volume
 * and what it costs per image. Kernel, stride and padding are display text ("5x5", "2", "same"; "-" when the layer
 * has no window); multiply-adds count only multiplications by learned weights.
 */
public record LayerRow(
        int index,
        String name,
        String type,
        List<String> inputs,
        String kernel,
        String stride,
        String padding,
        Volume output,
        long parameters,
        ReceptiveField receptiveField,
        long multiplyAdds,
        long activationBytes) {

    static final String NONE = "-";
    static final int BYTES_PER_ELEMENT = Float.BYTES;

    public LayerRow {
        inputs = List.copyOf(inputs);
    }
}
