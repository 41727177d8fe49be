package io.sparkcnn.jobs.models.summary;

/** One layer's line in the summary together with the activations it hands on. */
record Step(LayerRow row, Signal out) {}
