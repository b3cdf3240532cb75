package org.cnn4j.nn;

/** A state dict that does not fit a module: missing or unexpected keys, or tensors of the wrong shape. */
public class StateDictException extends RuntimeException {
    public StateDictException(String message) {
        super(message);
    }
}
