package io.sparkcnn.jobs.architectures.summary;

/** A layer whose window, input size or nIn cannot work; the message names the layer and shows the arithmetic. */
public final class ModelGeometryException extends IllegalArgumentException {
    ModelGeometryException(String message) {
        super(message);
    }
}
