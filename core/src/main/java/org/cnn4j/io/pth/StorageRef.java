package org.cnn4j.io.pth;

import org.cnn4j.tensor.DType;

/**
 * A storage named by a persistent id: where its data is ({@code key}: the zip entry {@code data/<key>}, or the
 * legacy format's storage key), its element type and element count. {@code firstElement} is non-zero only for the
 * legacy format's storage views, which start inside their root storage.
 */
record StorageRef(String key, DType dtype, long numel, long firstElement) {
    /** The element type of each allowed storage class, and its name as torch writes it. */
    static String torchName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "FloatStorage";
            case FLOAT16 -> "HalfStorage";
            case BFLOAT16 -> "BFloat16Storage";
            case FLOAT64 -> "DoubleStorage";
            case INT64 -> "LongStorage";
            case INT32 -> "IntStorage";
            case UINT8 -> "ByteStorage";
        };
    }

    /** The element type named by a persistent id's storage class. */
    static DType typeOf(Object storageClass) throws PthFormatException {
        if (storageClass instanceof AllowedGlobal g && g.storageType() != null) {
            return g.storageType();
        }
        throw new PthFormatException("persistent id names " + Unpickler.describe(storageClass)
                + " where a storage class (torch.FloatStorage, ...) belongs");
    }

    /** A storage key as torch writes it (a decimal number); anything path-like is refused. */
    static String checkKey(Object key) throws PthFormatException {
        if (!(key instanceof String s) || !s.matches("[A-Za-z0-9_]{1,64}")) {
            throw new PthFormatException("storage key " + Unpickler.describe(key) + " is not a short"
                    + " alphanumeric name");
        }
        return s;
    }

    String describe() {
        return "storage '" + key + "' (" + torchName(dtype) + " of " + numel + " elements)";
    }
}
