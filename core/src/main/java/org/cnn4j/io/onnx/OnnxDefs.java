package org.cnn4j.io.onnx;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The parts of a parsed ONNX model that import uses (see {@link OnnxReader}). */
final class OnnxDefs {
    private OnnxDefs() {
    }

    record Model(long irVersion, long opset, Graph graph) {
    }

    record Graph(List<Node> nodes, List<TensorDef> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs) {
    }

    record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Attribute> attributes) {
        /** A readable label for messages: the node's name, or its op and first output. */
        String label() {
            return name.isEmpty() ? opType + " -> " + (outputs.isEmpty() ? "?" : outputs.get(0)) : name;
        }
    }

    /** One attribute; only the field its type names is meaningful. */
    record Attribute(String name, int type, float f, long i, byte[] s, TensorDef t, float[] floats, long[] ints) {
    }

    /**
     * A tensor's values: float data from {@code floatData}, or integer data in {@code longs}. Float data is decoded
     * when asked for (from the file's bytes, already checked against the shape), so loading a model holds one
     * tensor's float copy at a time rather than all of them.
     */
    record TensorDef(String name, long[] dims, int dataType, Supplier<float[]> floatData, long[] longs) {
        boolean isFloat() {
            return floatData != null;
        }

        float[] floats() {
            return floatData.get();
        }
    }

    /** A graph input or output; a symbolic or unknown dimension is -1. */
    record ValueInfo(String name, long[] dims) {
    }
}
