package org.cnn4j.io.onnx;

import java.util.Arrays;

/**
 * An integer tensor of an imported graph, kept on the host: shapes, axes and indices that Shape, Gather, Concat
 * and friends compute. Such chains are evaluated on every forward from the actual input's shape, so a symbolic
 * batch axis keeps working; they carry no gradient.
 */
record Ints(long[] dims, long[] data) {
    static Ints vector(long... values) {
        return new Ints(new long[] {values.length}, values);
    }

    static Ints scalar(long value) {
        return new Ints(new long[0], new long[] {value});
    }

    int[] intData() {
        return Arrays.stream(data).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public String toString() {
        return "int64" + Arrays.toString(dims) + " " + Arrays.toString(data.length > 8 ? Arrays.copyOf(data, 8) : data);
    }
}
