package io.sparkcnn.jobs.config;

import io.sparkcnn.workers.params.ParamChoice;

/** How the learning rate changes over a run ({@code training.schedule}). */
public enum RateSchedule implements ParamChoice {
    CONSTANT, STEP, EXPONENTIAL, COSINE, PLATEAU;

    @Override
    public String toString() {
        return word();
    }
}
