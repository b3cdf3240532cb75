package org.cnn4j.tensor;

/**
 * Element types. Only {@link #FLOAT32} is computed on today; the others exist so that file formats
 * (safetensors, PyTorch's .pth) can name them and so the API has room for half precision and integer tensors.
 */
public enum DType {
    FLOAT32(4, "F32", true),
    FLOAT16(2, "F16", false),
    BFLOAT16(2, "BF16", false),
    FLOAT64(8, "F64", false),
    INT64(8, "I64", false),
    INT32(4, "I32", false),
    UINT8(1, "U8", false);

    private final int byteSize;
    private final String safetensorsName;
    private final boolean computable;

    DType(int byteSize, String safetensorsName, boolean computable) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
        this.computable = computable;
    }

    public int byteSize() {
        return byteSize;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    /** Whether backends can hold and compute tensors of this type (today: float32 only). */
    public boolean isComputable() {
        return computable;
    }

    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of F32, F16, BF16, F64, I64, I32, U8");
    }
}
