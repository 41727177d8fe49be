package io.sparkcnn.jobs.architectures.summary;

import org.deeplearning4j.nn.conf.inputs.InputType;

/** What flows along one edge of the network for one image: its volume, whether it is still an image, and its field. */
record Activations(Volume volume, boolean spatial, ReceptiveField field) {

    static Activations of(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return new Activations(new Volume(c.getWidth(), c.getHeight(), c.getChannels()), true, ReceptiveField.PIXEL);
        }
        // A flattened image is reshaped back by DL4J before the first convolution, so it is still an image here.
        if (type instanceof InputType.InputTypeConvolutionalFlat c) {
            return new Activations(new Volume(c.getWidth(), c.getHeight(), c.getDepth()), true, ReceptiveField.PIXEL);
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return new Activations(Volume.vector(f.getSize()), false, ReceptiveField.PIXEL);
        }
        throw new IllegalArgumentException("the model summary handles image (InputType.convolutional) and vector "
                + "(InputType.feedForward) activations, not " + type);
    }

    /** The same activations as DL4J names them, so that its own shape and parameter arithmetic can be asked. */
    InputType inputType() {
        return spatial
                ? InputType.convolutional(volume.height(), volume.width(), volume.depth())
                : InputType.feedForward(volume.elements());
    }
}
