package io.sparkcnn.workers.data;

/** Bad input data: the message names the file and says what to do about it. */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
