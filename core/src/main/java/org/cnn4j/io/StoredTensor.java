package org.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Shape;

/** A tensor as a file stores it: name, element type, shape, and where its little-endian bytes come from. */
record StoredTensor(String name, DType dtype, Shape shape, Bytes bytes) {
    /** Produces the tensor's bytes (read or converted on demand, so only one tensor is in memory at a time). */
    @FunctionalInterface
    interface Bytes {
        ByteBuffer get() throws IOException;
    }

    long byteSize() {
        return shape.numel() * dtype.byteSize();
    }
}
