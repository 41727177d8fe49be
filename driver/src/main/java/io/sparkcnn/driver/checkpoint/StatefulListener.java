package io.sparkcnn.driver.checkpoint;

import io.sparkcnn.driver.engine.TrainingListener;

/**
 * A listener whose bookkeeping a resumed run needs, as a Lightning callback's {@code state_dict()}: it hands out
 * its state as one typed record, which checkpoints keep under the listener's {@link #name()}, and takes it back
 * when a run resumes.
 */
public interface StatefulListener<S extends Record> extends TrainingListener {
    /** The key of its state in a checkpoint: unique in a run's listeners, and stable across versions. */
    String name();

    /** The record type of its state, to read a checkpoint's JSON back into. */
    Class<S> stateType();

    /** What it has recorded so far; a record of immutable values, so that it can be saved at any time. */
    S state();

    /** Continues from {@code state}, as saved by {@link #state()} in an earlier run. */
    void restore(S state);

    /**
     * Model-sized weights that belong to its state (an average of the parameters), or null for none, the default.
     * A checkpoint keeps them as raw floats beside the model's state, so that they come back bit for bit and a
     * large model's weights never become a JSON string; a copy is taken when the checkpoint is made.
     */
    default float[] weights() {
        return null;
    }

    /** Takes back what {@link #weights()} gave, after {@link #restore}; called only when the checkpoint has some. */
    default void restoreWeights(float[] weights) {}
}
