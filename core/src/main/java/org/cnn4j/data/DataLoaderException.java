package org.cnn4j.data;

/** A failure while the {@link DataLoader}'s background thread was reading or transforming a batch. */
public class DataLoaderException extends RuntimeException {

    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
