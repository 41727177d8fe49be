package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** What a run does after a round whose loss or parameters are not finite ({@code training.on-divergence}). */
public enum DivergenceAction implements ParamChoice {
    STOP, ROLLBACK;

    @Override
    public String toString() {
        return word();
    }
}
