package org.cnn4j.cuda;

/** A CUDA driver, cuBLAS or cuDNN call failed; the message names the call and the library's error text. */
public class CudaOperationException extends RuntimeException {
    public CudaOperationException(String message) {
        super(message);
    }
}
