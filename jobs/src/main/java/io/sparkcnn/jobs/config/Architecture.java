package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** The networks {@code model.architecture} names; {@code custom} is a stack written as {@code model.pattern}. */
public enum Architecture implements ParamChoice {
    LENET5, ALEXNET, VGG16, VGG19, GOOGLENET, RESNET18, RESNET34, RESNET50, RESNET20, RESNET56, MOBILENET, CONVNETJS, CUSTOM;

    @Override
    public String toString() {
        return word();
    }
}
