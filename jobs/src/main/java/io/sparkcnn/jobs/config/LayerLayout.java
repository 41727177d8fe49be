package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** The memory layout the convolution and pooling layers run in ({@code model.data-format}), spelt in capitals. */
public enum LayerLayout implements ParamChoice {
    NCHW, NHWC;

    @Override
    public String word() {
        return name();
    }

    @Override
    public String toString() {
        return word();
    }
}
