package org.cnn4j.io.onnx;

/** An ONNX file cnn4j cannot read or run: malformed, hostile, or using operators it does not implement. */
public class OnnxFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
