package org.cnn4j.io.pth;

import java.io.IOException;

/**
 * A PyTorch file that is malformed, hostile, or uses something this reader does not support. Messages from
 * {@link PthFile} name the file first, then the problem and where it was found.
 */
public class PthFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public PthFormatException(String message) {
        super(message);
    }

    public PthFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
