package io.sparkcnn.jobs.architectures.summary;

/** One layer's line in the summary together with the activations it hands on. */
record LayerResult(LayerRow row, Activations out) {}
