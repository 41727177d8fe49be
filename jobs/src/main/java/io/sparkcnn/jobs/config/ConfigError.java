package io.sparkcnn.jobs.config;

/** A job configuration that cannot run: the message names the file and key and says what to do. */
public final class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }
}
