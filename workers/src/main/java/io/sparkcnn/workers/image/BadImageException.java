package io.sparkcnn.workers.image;

import java.util.Optional;

/**
 * Why an encoded image could not be decoded, with the file it came from. The decoder throws a
 * {@link io.sparkcnn.workers.data.DataException} with this as its cause, so that callers who only report need
 * nothing new while callers who count or skip bad files can read the {@link Reason} via {@link #in}.
 */
public final class BadImageException extends Exception {
    /** The short reason codes a data check can count and group by. */
    public enum Reason {
        EMPTY("empty file", "remove it or fetch it again"),
        NOT_AN_IMAGE("not an image", "it is neither JPEG, PNG, GIF nor BMP; remove it from the data folder"),
        TRUNCATED("truncated", "the file ends early; fetch it again or remove it"),
        CORRUPT("corrupt", "remove it or fetch it again"),
        TOO_LARGE("too large", "scale it down before training");

        private final String text;
        private final String advice;

        Reason(String text, String advice) {
            this.text = text;
            this.advice = advice;
        }

        public String text() {
            return text;
        }
    }

    private final String path;
    private final Reason reason;

    public BadImageException(String path, Reason reason, String detail) {
        super(path + ": " + reason.text + ": " + detail + "; " + reason.advice + ".");
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public Reason reason() {
        return reason;
    }

    /** The bad-image cause somewhere in {@code error}'s cause chain, if there is one. */
    public static Optional<BadImageException> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BadImageException bad) {
                return Optional.of(bad);
            }
        }
        return Optional.empty();
    }
}
