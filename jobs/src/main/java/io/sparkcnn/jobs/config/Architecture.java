package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/**
 * The networks {@code model.architecture} names; {@code custom} is a stack written as {@code model.pattern}, and
 * {@code wrn} is WRN-d-k with d and k from {@code model.depth} and {@code model.widen-factor}.
 */
public enum Architecture implements ParamChoice {
    LENET5, ALEXNET, VGG16, VGG19, GOOGLENET, RESNET18, RESNET34, RESNET50, RESNET20, RESNET56, PREACT_RESNET18,
    PREACT_RESNET20, PREACT_RESNET56, PREACT_RESNET110, WRN, DENSENET_BC100, MOBILENET, CONVNETJS, CUSTOM;

    /**
     * Whether {@code model.data-format = NHWC} trains this network right: its convolutions have no activation of
     * their own (batch norm or an activation layer follows them), which DL4J 1.0.0-M2's oneDNN convolution needs
     * channels-last ({@code Architectures.requireChannelsLastSafe}); {@code custom} only with
     * {@code model.batch-norm}.
     */
    public boolean trainsChannelsLast() {
        return switch (this) {
            case ALEXNET, VGG16, VGG19, GOOGLENET, CONVNETJS -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return word();
    }
}
