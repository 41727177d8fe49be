package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** The optimisers {@code training.updater} names; {@code adamw} is Adam with decoupled weight decay. */
public enum Updater implements ParamChoice {
    SGD, MOMENTUM, NESTEROV, ADAM, ADAMW, RMSPROP, ADAGRAD, ADADELTA;

    @Override
    public String toString() {
        return word();
    }
}
