package org.cnn4j.io.pth;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** How unpickled values are named in messages (without recursing into containers, which may be huge or cyclic). */
final class PickleValues {
    private PickleValues() {
    }

    /** A short, non-recursive description of a value for messages. */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        } else if (o instanceof Long || o instanceof Boolean || o instanceof Double) {
            return o.toString();
        } else if (o instanceof AllowedGlobal g) {
            return g.qualifiedName();
        } else if (o instanceof Tuple t) {
            return "a tuple of " + t.size();
        } else if (o instanceof List<?> l) {
            return "a list of " + l.size();
        } else if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        return typeName(o.getClass());
    }

    /** The Python-side name of a value's type. */
    static String typeName(Class<?> type) {
        if (type == TensorRef.class) {
            return "tensor";
        } else if (type == StorageRef.class) {
            return "storage";
        } else if (type == Long.class || type == BigInteger.class) {
            return "int";
        } else if (type == Boolean.class) {
            return "bool";
        } else if (type == Double.class) {
            return "float";
        } else if (type == String.class) {
            return "str";
        } else if (type == byte[].class) {
            return "bytes";
        } else if (Tuple.class.isAssignableFrom(type)) {
            return "tuple";
        } else if (List.class.isAssignableFrom(type)) {
            return "list";
        } else if (Map.class.isAssignableFrom(type)) {
            return "dict";
        }
        return type.getSimpleName();
    }
}
