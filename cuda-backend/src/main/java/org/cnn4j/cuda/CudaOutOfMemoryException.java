package org.cnn4j.cuda;

/** Device memory ran out even after the allocator released its cache; the message gives the sizes. */
public class CudaOutOfMemoryException extends CudaOperationException {
    public CudaOutOfMemoryException(String message) {
        super(message);
    }
}
