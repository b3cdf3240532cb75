package org.cnn4j.backend;

/** A backend was requested by name but cannot run here; the message says what is missing. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
