package org.cnn4j.io.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The graph an export builds: nodes in topological order, initializers (parameters under their state-dict names,
 * plus constants), one input and one output. {@link LayerExporter}s add to it through {@link #node} and
 * {@link #initializer}.
 */
public final class ExportGraph {
    private final List<byte[]> nodes = new ArrayList<>();
    /** Integer initializers, encoded at once (they are small). */
    private final List<byte[]> encoded = new ArrayList<>();
    /** Float initializers, encoded while the file is written so no second copy of the weights is held. */
    private final List<FloatInit> floats = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final IdentityHashMap<Tensor, String> parameters = new IdentityHashMap<>();
    private final int opset;
    private int counter;

    ExportGraph(int opset) {
        this.opset = opset;
    }

    /** The opset the file declares: exporters choose operator forms by it (ReduceSum's axes became an input). */
    public int opset() {
        return opset;
    }

    /** A name not used yet in this graph, built from {@code hint}. */
    public String fresh(String hint) {
        String base = hint.isEmpty() ? "t" : hint;
        String name = base;
        while (!names.add(name)) {
            name = base + "_" + (++counter);
        }
        return name;
    }

    /**
     * Adds node {@code opType} with one output, named after {@code nameHint}; returns the output's name. Attributes
     * come from {@link #ints}, {@link #intAttr} and {@link #floatAttr}.
     */
    public String node(String opType, String nameHint, List<String> inputs, byte[]... attributes) {
        return nodeTo(fresh(nameHint.isEmpty() ? opType.toLowerCase() : nameHint), opType, inputs, attributes);
    }

    /** Adds a node whose output is exactly {@code output}, a name already reserved with {@link #fresh}. */
    String nodeTo(String output, String opType, List<String> inputs, byte[]... attributes) {
        nodes.add(OnnxProtos.node(fresh(output + "/" + opType), opType, inputs, List.of(output),
                Arrays.asList(attributes)));
        return output;
    }

    public static byte[] ints(String name, long... values) {
        return OnnxProtos.intsAttr(name, values);
    }

    public static byte[] intAttr(String name, long value) {
        return OnnxProtos.intAttr(name, value);
    }

    public static byte[] floatAttr(String name, float value) {
        return OnnxProtos.floatAttr(name, value);
    }

    /**
     * The initializer holding parameter or buffer {@code t}, added under exactly {@code name} the first time
     * (a tensor used by several nodes is stored once).
     */
    public String parameter(String name, Tensor t) {
        String known = parameters.get(t);
        if (known == null) {
            known = initializer(name, t.shape(), t::toFloatArray);
            parameters.put(t, known);
        }
        return known;
    }

    private record FloatInit(String name, Shape shape, Supplier<float[]> values) {
        long[] dims() {
            return Arrays.stream(shape.dims()).asLongStream().toArray();
        }
    }

    private String initializer(String name, Shape shape, Supplier<float[]> values) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX export: initializer name '" + name + "' used twice");
        }
        floats.add(new FloatInit(name, shape, values));
        return name;
    }

    /** A float constant initializer named after {@code hint}. */
    public String constant(String hint, Shape shape, float[] values) {
        String name = fresh(hint);
        floats.add(new FloatInit(name, shape, () -> values));
        return name;
    }

    /** A 1-D int64 initializer (shapes, axes), named after {@code hint}. */
    public String int64Constant(String hint, long... values) {
        String name = fresh(hint);
        encoded.add(OnnxProtos.int64Tensor(name, values));
        return name;
    }

    /** Writes the ModelProto; input and output have a symbolic batch axis (their first dimension). */
    void writeModel(OutputStream stream, String graphName, int opset, String input, Shape inputShape, String output,
                    Shape outputShape) throws IOException {
        byte[] name = OnnxProtos.encode(o -> o.writeString(OnnxProtos.GRAPH_NAME, graphName));
        byte[] in = OnnxProtos.valueInfo(input, dynamicBatch(inputShape));
        byte[] out = OnnxProtos.valueInfo(output, dynamicBatch(outputShape));
        long graphSize = name.length;
        for (byte[] n : nodes) {
            graphSize += fieldSize(OnnxProtos.GRAPH_NODE, n);
        }
        for (byte[] t : encoded) {
            graphSize += fieldSize(OnnxProtos.GRAPH_INITIALIZER, t);
        }
        for (FloatInit f : floats) {
            long size = OnnxProtos.floatTensorSize(f.name(), f.dims(), f.shape().numel());
            graphSize += CodedOutputStream.computeTagSize(OnnxProtos.GRAPH_INITIALIZER)
                    + CodedOutputStream.computeUInt64SizeNoTag(size) + size;
        }
        graphSize += fieldSize(OnnxProtos.GRAPH_INPUT, in) + fieldSize(OnnxProtos.GRAPH_OUTPUT, out);
        if (graphSize > Integer.MAX_VALUE) {
            throw new IllegalStateException("ONNX export: the graph is " + graphSize + " bytes; protobuf messages are"
                    + " limited to 2 GiB (external data is not supported)");
        }
        CodedOutputStream cos = CodedOutputStream.newInstance(stream, 1 << 16);
        cos.writeInt64(OnnxProtos.MODEL_IR_VERSION, OnnxProtos.IR_VERSION);
        cos.writeString(OnnxProtos.MODEL_PRODUCER_NAME, "cnn4j");
        cos.writeString(OnnxProtos.MODEL_PRODUCER_VERSION, "0.1");
        cos.writeTag(OnnxProtos.MODEL_GRAPH, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag((int) graphSize);
        for (byte[] n : nodes) {
            cos.writeByteArray(OnnxProtos.GRAPH_NODE, n);
        }
        cos.writeRawBytes(name);
        for (byte[] t : encoded) {
            cos.writeByteArray(OnnxProtos.GRAPH_INITIALIZER, t);
        }
        for (FloatInit f : floats) {
            cos.writeTag(OnnxProtos.GRAPH_INITIALIZER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            cos.writeUInt64NoTag(OnnxProtos.floatTensorSize(f.name(), f.dims(), f.shape().numel()));
            OnnxProtos.writeFloatTensor(cos, f.name(), f.dims(), f.values().get());
        }
        cos.writeByteArray(OnnxProtos.GRAPH_INPUT, in);
        cos.writeByteArray(OnnxProtos.GRAPH_OUTPUT, out);
        cos.writeByteArray(OnnxProtos.MODEL_OPSET_IMPORT, OnnxProtos.opset(opset));
        cos.flush();
    }

    private static long fieldSize(int field, byte[] message) {
        return CodedOutputStream.computeByteArraySize(field, message);
    }

    private static long[] dynamicBatch(Shape s) {
        long[] dims = Arrays.stream(s.dims()).asLongStream().toArray();
        if (dims.length > 0) {
            dims[0] = -1;
        }
        return dims;
    }
}
