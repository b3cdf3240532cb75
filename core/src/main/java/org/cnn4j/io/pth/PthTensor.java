package org.cnn4j.io.pth;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Shape;

/** One tensor of a {@link PthFile}'s state_dict: its name, stored element type and shape; read with PthFile.read. */
public final class PthTensor {
    private final String name;
    final TensorRef ref;

    PthTensor(String name, TensorRef ref) {
        this.name = name;
        this.ref = ref;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return ref.storage.dtype();
    }

    public Shape shape() {
        return ref.shape();
    }

    /** Bytes of the tensor stored contiguously. */
    public long byteSize() {
        return ref.numel * dtype().byteSize();
    }
}
