package io.sparkcnn.jobs.architectures.summary;

import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps DL4J's {@code InputType} warnings ("Assigning height of 0. Normally this is not valid...") off the
 * console while a network is configured for {@code summary}: they come only for a geometry that cannot work,
 * which {@link ModelSummary} then reports naming the layer and the numbers, so they would only bury that
 * message under DL4J's.
 */
public final class InputTypeWarnings {
    /** The logger DL4J's shape inference warns through. */
    static final String LOGGER = "org.deeplearning4j.nn.conf.inputs.InputType";

    private InputTypeWarnings() {}

    /** Runs {@code action} with the {@code InputType} logger at ERROR, then restores its level. */
    public static <T> T silenced(Supplier<T> action) {
        Level before;
        try {
            before = LogManager.getLogger(LOGGER).getLevel();
            Configurator.setLevel(LOGGER, Level.ERROR);
        } catch (LinkageError | ClassCastException | UnsupportedOperationException e) {
            // Another SLF4J binding than log4j2 (not Spark's): its warnings cannot be turned off from here.
            return action.get();
        }
        try {
            return action.get();
        } finally {
            Configurator.setLevel(LOGGER, before);
        }
    }
}
