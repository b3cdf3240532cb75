package org.cnn4j.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed or uses something this reader does not support. The message names
 * the file, the tensor (when one is at fault), what was expected and what was found.
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
