package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;

/** The ONNX reader against the schema file and against malformed and hostile files; no backend needed. */
class OnnxReaderTest {

    /** "Message.field" to its number, from src/main/proto/onnx.proto (nested messages as Outer.Inner.field). */
    private static Map<String, Integer> schemaNumbers() throws IOException {
        Pattern message = Pattern.compile("message\\s+(\\w+)\\s*\\{");
        Pattern field = Pattern.compile("(?:optional|repeated)\\s+[\\w.]+\\s+(\\w+)\\s*=\\s*(\\d+)\\s*;");
        Map<String, Integer> out = new HashMap<>();
        Deque<String> open = new ArrayDeque<>();
        for (String raw : Files.readAllLines(Path.of("src/main/proto/onnx.proto"))) {
            String line = raw.replaceAll("//.*", "").trim();
            Matcher m;
            if ((m = message.matcher(line)).matches()) {
                open.addLast(m.group(1));
            } else if (line.equals("}")) {
                open.removeLast();
            } else if ((m = field.matcher(line)).matches()) {
                out.put(String.join(".", open) + "." + m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }

    @Test
    void fieldNumbersAreTheSchemas() throws IOException {
        Map<String, Integer> s = schemaNumbers();
        Object[][] pairs = {
            {OnnxProtos.MODEL_IR_VERSION, "ModelProto.ir_version"}, {OnnxProtos.MODEL_GRAPH, "ModelProto.graph"},
            {OnnxProtos.MODEL_PRODUCER_NAME, "ModelProto.producer_name"},
            {OnnxProtos.MODEL_PRODUCER_VERSION, "ModelProto.producer_version"},
            {OnnxProtos.MODEL_OPSET_IMPORT, "ModelProto.opset_import"},
            {OnnxProtos.GRAPH_NODE, "GraphProto.node"}, {OnnxProtos.GRAPH_NAME, "GraphProto.name"},
            {OnnxProtos.GRAPH_INITIALIZER, "GraphProto.initializer"}, {OnnxProtos.GRAPH_INPUT, "GraphProto.input"},
            {OnnxProtos.GRAPH_OUTPUT, "GraphProto.output"},
            {OnnxProtos.NODE_INPUT, "NodeProto.input"}, {OnnxProtos.NODE_OUTPUT, "NodeProto.output"},
            {OnnxProtos.NODE_NAME, "NodeProto.name"}, {OnnxProtos.NODE_OP_TYPE, "NodeProto.op_type"},
            {OnnxProtos.NODE_ATTRIBUTE, "NodeProto.attribute"}, {OnnxProtos.NODE_DOMAIN, "NodeProto.domain"},
            {OnnxProtos.ATTR_NAME, "AttributeProto.name"}, {OnnxProtos.ATTR_F, "AttributeProto.f"},
            {OnnxProtos.ATTR_I, "AttributeProto.i"}, {OnnxProtos.ATTR_S, "AttributeProto.s"},
            {OnnxProtos.ATTR_T, "AttributeProto.t"}, {OnnxProtos.ATTR_FLOATS, "AttributeProto.floats"},
            {OnnxProtos.ATTR_INTS, "AttributeProto.ints"}, {OnnxProtos.ATTR_STRINGS, "AttributeProto.strings"},
            {OnnxProtos.ATTR_TYPE, "AttributeProto.type"},
            {OnnxProtos.TENSOR_DIMS, "TensorProto.dims"}, {OnnxProtos.TENSOR_DATA_TYPE, "TensorProto.data_type"},
            {OnnxProtos.TENSOR_FLOAT_DATA, "TensorProto.float_data"},
            {OnnxProtos.TENSOR_INT32_DATA, "TensorProto.int32_data"},
            {OnnxProtos.TENSOR_INT64_DATA, "TensorProto.int64_data"}, {OnnxProtos.TENSOR_NAME, "TensorProto.name"},
            {OnnxProtos.TENSOR_RAW_DATA, "TensorProto.raw_data"},
            {OnnxProtos.TENSOR_DOUBLE_DATA, "TensorProto.double_data"},
            {OnnxProtos.TENSOR_EXTERNAL_DATA, "TensorProto.external_data"},
            {OnnxProtos.TENSOR_DATA_LOCATION, "TensorProto.data_location"},
            {OnnxProtos.VALUE_INFO_NAME, "ValueInfoProto.name"}, {OnnxProtos.VALUE_INFO_TYPE, "ValueInfoProto.type"},
            {OnnxProtos.TYPE_TENSOR_TYPE, "TypeProto.tensor_type"},
            {OnnxProtos.TYPE_TENSOR_ELEM_TYPE, "TypeProto.Tensor.elem_type"},
            {OnnxProtos.TYPE_TENSOR_SHAPE, "TypeProto.Tensor.shape"}, {OnnxProtos.SHAPE_DIM, "TensorShapeProto.dim"},
            {OnnxProtos.DIM_VALUE, "TensorShapeProto.Dimension.dim_value"},
            {OnnxProtos.DIM_PARAM, "TensorShapeProto.Dimension.dim_param"},
            {OnnxProtos.OPSET_DOMAIN, "OperatorSetIdProto.domain"},
            {OnnxProtos.OPSET_VERSION, "OperatorSetIdProto.version"},
        };
        for (Object[] p : pairs) {
            assertEquals(s.get((String) p[1]), p[0], (String) p[1]);
        }
        assertEquals(pairs.length, s.size() - 2, "every schema field but StringStringEntryProto's has a constant");
    }

    // ---- building test files ----

    static byte[] model(long opset, List<byte[]> nodes, List<byte[]> initializers, List<String> inputs,
                        String output) {
        return OnnxProtos.encode(out -> {
            out.writeInt64(OnnxProtos.MODEL_IR_VERSION, 8);
            out.writeByteArray(OnnxProtos.MODEL_GRAPH, OnnxProtos.encode(g -> {
                for (byte[] n : nodes) {
                    g.writeByteArray(OnnxProtos.GRAPH_NODE, n);
                }
                for (byte[] t : initializers) {
                    g.writeByteArray(OnnxProtos.GRAPH_INITIALIZER, t);
                }
                for (String in : inputs) {
                    g.writeByteArray(OnnxProtos.GRAPH_INPUT, OnnxProtos.valueInfo(in, new long[] {-1, 3}));
                }
                g.writeByteArray(OnnxProtos.GRAPH_OUTPUT, OnnxProtos.valueInfo(output, new long[] {-1, 3}));
            }));
            out.writeByteArray(OnnxProtos.MODEL_OPSET_IMPORT, OnnxProtos.opset(opset));
        });
    }

    static byte[] node(String name, String op, List<String> in, String out) {
        return OnnxProtos.node(name, op, in, List.of(out), List.of());
    }

    private static OnnxFormatException rejects(byte[] file) {
        return assertThrows(OnnxFormatException.class, () -> {
            OnnxDefs.Model m = OnnxReader.parse(file, "test.onnx");
            OnnxModel.build(m, "test.onnx", null);
        });
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    // ---- reading ----

    @Test
    void readsNodesAttributesAndTensors() {
        byte[] conv = OnnxProtos.node("c", "Conv", List.of("x", "w"), List.of("y"),
                List.of(OnnxProtos.intsAttr("pads", 1, 1, 1, 1), OnnxProtos.floatAttr("alpha", 0.5f)));
        byte[] w = OnnxProtos.floatTensor("w", new long[] {1, 2}, new float[] {1.5f, -2f});
        byte[] shape = OnnxProtos.int64Tensor("s", new long[] {0, -1});
        OnnxDefs.Model m = OnnxReader.parse(model(13, List.of(conv), List.of(w, shape), List.of("x"), "y"), "t");
        assertEquals(13, m.opset());
        OnnxDefs.Node n = m.graph().nodes().get(0);
        assertEquals("Conv", n.opType());
        assertEquals(List.of("x", "w"), n.inputs());
        assertArrayEquals(new long[] {1, 1, 1, 1}, n.attributes().get("pads").ints());
        assertEquals(0.5f, n.attributes().get("alpha").f());
        assertArrayEquals(new float[] {1.5f, -2f}, m.graph().initializers().get(0).floats());
        assertArrayEquals(new long[] {0, -1}, m.graph().initializers().get(1).longs());
        assertArrayEquals(new long[] {-1, 3}, m.graph().inputs().get(0).dims());
    }

    @Test
    void readsUnpackedAndPackedFloatData() {
        byte[] unpacked = OnnxProtos.encode(out -> {
            out.writeInt64(OnnxProtos.TENSOR_DIMS, 2);
            out.writeInt32(OnnxProtos.TENSOR_DATA_TYPE, OnnxProtos.DTYPE_FLOAT);
            out.writeFloat(OnnxProtos.TENSOR_FLOAT_DATA, 1f);
            out.writeFloat(OnnxProtos.TENSOR_FLOAT_DATA, 2f);
            out.writeString(OnnxProtos.TENSOR_NAME, "a");
        });
        byte[] packed = OnnxProtos.encode(out -> {
            out.writeInt64(OnnxProtos.TENSOR_DIMS, 2);
            out.writeInt32(OnnxProtos.TENSOR_DATA_TYPE, OnnxProtos.DTYPE_FLOAT);
            out.writeTag(OnnxProtos.TENSOR_FLOAT_DATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(8);
            out.writeFloatNoTag(3f);
            out.writeFloatNoTag(4f);
            out.writeString(OnnxProtos.TENSOR_NAME, "b");
        });
        OnnxDefs.Model m = OnnxReader.parse(model(13, List.of(), List.of(unpacked, packed), List.of("x"), "x"), "t");
        assertArrayEquals(new float[] {1f, 2f}, m.graph().initializers().get(0).floats());
        assertArrayEquals(new float[] {3f, 4f}, m.graph().initializers().get(1).floats());
    }

    // ---- hostile and malformed files ----

    @Test
    void garbageAndTruncationAreClearErrors() {
        assertMentions(rejects(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), "test.onnx", "not a valid ONNX");
        byte[] good = model(13, List.of(node("r", "Relu", List.of("x"), "y")), List.of(), List.of("x"), "y");
        assertMentions(rejects(java.util.Arrays.copyOf(good, good.length - 5)), "not a valid ONNX");
        assertMentions(rejects(new byte[0]), "no graph");
    }

    @Test
    void hugeDeclaredLengthsDoNotAllocate() {
        // a graph field claiming 2 GiB - 1 bytes, followed by 3 bytes
        byte[] lying = OnnxProtos.encode(out -> {
            out.writeTag(OnnxProtos.MODEL_GRAPH, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(Integer.MAX_VALUE);
            out.writeRawBytes(new byte[] {1, 2, 3});
        });
        assertMentions(rejects(lying), "not a valid ONNX");
        // a tensor declaring 10^18 elements with 8 bytes of data
        byte[] huge = OnnxProtos.floatTensor("w", new long[] {1_000_000, 1_000_000, 1_000_000}, new float[2]);
        assertMentions(rejects(model(13, List.of(), List.of(huge), List.of("x"), "x")), "tensor 'w'",
                "at most 2147483647 elements");
        byte[] negative = OnnxProtos.floatTensor("n", new long[] {-4}, new float[0]);
        assertMentions(rejects(model(13, List.of(), List.of(negative), List.of("x"), "x")), "tensor 'n'",
                "non-negative");
        byte[] short_ = OnnxProtos.floatTensor("s", new long[] {5}, new float[2]);
        assertMentions(rejects(model(13, List.of(), List.of(short_), List.of("x"), "x")), "tensor 's'",
                "5 elements (20 bytes)", "8 bytes");
    }

    @Test
    void externalDataIsRefused() {
        byte[] external = OnnxProtos.encode(out -> {
            out.writeInt64(OnnxProtos.TENSOR_DIMS, 4);
            out.writeInt32(OnnxProtos.TENSOR_DATA_TYPE, OnnxProtos.DTYPE_FLOAT);
            out.writeString(OnnxProtos.TENSOR_NAME, "w");
            out.writeByteArray(OnnxProtos.TENSOR_EXTERNAL_DATA, OnnxProtos.encode(e -> {
                e.writeString(1, "location");
                e.writeString(2, "../../etc/passwd");
            }));
            out.writeInt32(OnnxProtos.TENSOR_DATA_LOCATION, 1);
        });
        assertMentions(rejects(model(13, List.of(), List.of(external), List.of("x"), "x")), "tensor 'w'",
                "external file", "../../etc/passwd");
    }

    @Test
    void float16IsRefusedByName() {
        byte[] half = OnnxProtos.encode(out -> {
            out.writeInt64(OnnxProtos.TENSOR_DIMS, 1);
            out.writeInt32(OnnxProtos.TENSOR_DATA_TYPE, 10);
            out.writeString(OnnxProtos.TENSOR_NAME, "h");
            out.writeByteArray(OnnxProtos.TENSOR_RAW_DATA, new byte[2]);
        });
        assertMentions(rejects(model(13, List.of(), List.of(half), List.of("x"), "x")), "tensor 'h'", "float16");
    }

    @Test
    void everyUnsupportedOperatorIsListedWithItsNodeAndTheOpset() {
        List<byte[]> nodes = List.of(node("a", "Relu", List.of("x"), "r"), node("b", "Einsum", List.of("r"), "e"),
                node("c", "NonMaxSuppression", List.of("e"), "y"));
        OnnxFormatException e = rejects(model(14, nodes, List.of(), List.of("x"), "y"));
        assertMentions(e, "opset 14", "Einsum (node 'b')", "NonMaxSuppression (node 'c')");
        assertTrue(!e.getMessage().contains("Relu"), e.getMessage());
    }

    @Test
    void structuralProblemsAreOneLine() {
        assertMentions(rejects(model(13, List.of(node("a", "Relu", List.of("nowhere"), "y")), List.of(),
                List.of("x"), "y")), "node 'a'", "reads 'nowhere'");
        assertMentions(rejects(model(13, List.of(node("a", "Relu", List.of("q"), "p"), node("b", "Relu",
                List.of("p"), "q")), List.of(), List.of("x"), "q")), "cycle");
        assertMentions(rejects(model(13, List.of(node("a", "Add", List.of("x", "z"), "y")), List.of(),
                List.of("x", "z"), "y")), "one input and one output");
        assertMentions(rejects(model(13, List.of(node("a", "Relu", List.of("x"), "y")), List.of(), List.of("x"),
                "zzz")), "'zzz'", "computed by no node");
        assertMentions(rejects(model(9, List.of(node("a", "Relu", List.of("x"), "y")), List.of(), List.of("x"),
                "y")), "opset 9");
        assertMentions(rejects(model(13, List.of(node("a", "Relu", List.of("x"), "y"), node("b", "Relu",
                List.of("x"), "y")), List.of(), List.of("x"), "y")), "'y' is produced twice");
    }

}
