package org.cnn4j.distributed;

/**
 * A collective operation failed: a rank died, hung past the timeout, disagreed about the operation, or the
 * connection broke. The message names the rank at fault when it is known. After this the collective is unusable;
 * every rank must stop (and may restart from its last checkpoint).
 */
public class CollectiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CollectiveException(String message) {
        super(message);
    }

    public CollectiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
