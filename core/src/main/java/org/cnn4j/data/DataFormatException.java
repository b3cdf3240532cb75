package org.cnn4j.data;

import java.io.IOException;

/** A data file exists but its contents are not what its format requires; the message names the file. */
public class DataFormatException extends IOException {

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
