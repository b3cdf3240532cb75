package org.cnn4j.io.pth;

import java.util.Map;

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

    /**
     * The storage a persistent id names: a tuple of {@code fields} items starting ('storage', storage class, key,
     * location, numel), as both of torch.save's formats write it ({@code layout} spells the full form).
     * {@code known} holds the storages named so far by key; naming one again with another type or size is refused.
     */
    static StorageRef fromPersistentId(Object pid, int fields, String layout, Map<String, StorageRef> known)
            throws PthFormatException {
        if (!(pid instanceof Tuple t) || t.size() != fields || !"storage".equals(t.get(0))) {
            throw new PthFormatException("persistent id " + PickleValues.describe(pid) + " is not " + layout);
        }
        DType dtype = typeOf(t.get(1));
        String key = checkKey(t.get(2));
        if (!(t.get(3) instanceof String) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new PthFormatException("persistent id for storage '" + key + "' needs a location string and a"
                    + " non-negative element count");
        }
        StorageRef ref = new StorageRef(key, dtype, numel, 0);
        StorageRef seen = known.putIfAbsent(key, ref);
        if (seen != null && !seen.equals(ref)) {
            throw new PthFormatException(ref.describe() + " was named before as " + seen.describe());
        }
        return ref;
    }

    /** The element type named by a persistent id's storage class. */
    static DType typeOf(Object storageClass) throws PthFormatException {
        if (storageClass instanceof AllowedGlobal g && g.storageType() != null) {
            return g.storageType();
        }
        throw new PthFormatException("persistent id names " + PickleValues.describe(storageClass)
                + " where a storage class (torch.FloatStorage, ...) belongs");
    }

    /** A storage key as torch writes it (a decimal number); anything path-like is refused. */
    static String checkKey(Object key) throws PthFormatException {
        if (!(key instanceof String s) || !s.matches("[A-Za-z0-9_]{1,64}")) {
            throw new PthFormatException("storage key " + PickleValues.describe(key) + " is not a short"
                    + " alphanumeric name");
        }
        return s;
    }

    String describe() {
        return "storage '" + key + "' (" + torchName(dtype) + " of " + numel + " elements)";
    }
}
