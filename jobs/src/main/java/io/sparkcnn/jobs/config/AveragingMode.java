package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** How often the workers average ({@code training.averaging}): every tau steps, or adaptively. */
public enum AveragingMode implements ParamChoice {
    FIXED, ADAPTIVE;

    @Override
    public String toString() {
        return word();
    }
}
