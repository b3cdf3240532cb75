package org.cnn4j.io.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import static org.cnn4j.io.onnx.OnnxProtos.*;

/**
 * Parses the ONNX messages import needs with protobuf-java's {@link CodedInputStream}, against the field numbers
 * of {@code onnx.proto}. Hostile input is bounded: the file must fit one protobuf message (2 GiB) and is read
 * whole, so no length field can make the reader allocate more than the file holds; every tensor's declared size
 * must match its data; tensors stored in external files are refused (a model file never makes cnn4j open another
 * path). Unknown fields are skipped, as protobuf requires.
 */
final class OnnxReader {
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;
    private static final int TYPE_FLOAT16 = 10;
    private static final int TYPE_INT32 = 6;
    private static final int LOCATION_EXTERNAL = 1;

    private final String source;

    private OnnxReader(String source) {
        this.source = source;
    }

    static OnnxDefs.Model read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new OnnxFormatException(path + ": " + size + " bytes; an ONNX file is one protobuf message of at"
                    + " most 2 GiB (models with external data are not supported)");
        }
        return parse(Files.readAllBytes(path), path.toString());
    }

    static OnnxDefs.Model parse(byte[] bytes, String source) {
        OnnxReader r = new OnnxReader(source);
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            return r.model(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source + ": not a valid ONNX (protobuf) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OnnxFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private OnnxFormatException bad(String what) {
        return new OnnxFormatException(source + ": " + what);
    }

    static CodedInputStream sub(CodedInputStream in) throws IOException {
        ByteString bytes = in.readBytes();
        CodedInputStream s = bytes.newCodedInput();
        s.enableAliasing(true);
        return s;
    }

    private OnnxDefs.Model model(CodedInputStream in) throws IOException {
        long ir = 0;
        long opset = -1;
        OnnxDefs.Graph graph = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag, MODEL_IR_VERSION, MODEL_GRAPH, MODEL_OPSET_IMPORT)) {
                case MODEL_IR_VERSION -> ir = in.readInt64();
                case MODEL_GRAPH -> graph = graph(sub(in));
                case MODEL_OPSET_IMPORT -> {
                    CodedInputStream s = sub(in);
                    String domain = "";
                    long version = 0;
                    for (int t = s.readTag(); t != 0; t = s.readTag()) {
                        switch (field(t, OPSET_DOMAIN, OPSET_VERSION)) {
                            case OPSET_DOMAIN -> domain = s.readStringRequireUtf8();
                            case OPSET_VERSION -> version = s.readInt64();
                            default -> s.skipField(t);
                        }
                    }
                    if (domain.isEmpty() || domain.equals("ai.onnx")) {
                        opset = version;
                    }
                }
                default -> in.skipField(tag);
            }
        }
        if (graph == null) {
            throw bad("no graph (is this an ONNX model file?)");
        }
        if (opset < 0) {
            throw bad("no opset_import for the default ONNX domain");
        }
        return new OnnxDefs.Model(ir, opset, graph);
    }

    /** The tag's field number when it is one of {@code known}, else 0 (skip it). */
    private static int field(int tag, int... known) {
        int number = WireFormat.getTagFieldNumber(tag);
        for (int k : known) {
            if (k == number) {
                return number;
            }
        }
        return 0;
    }

    private OnnxDefs.Graph graph(CodedInputStream in) throws IOException {
        List<OnnxDefs.Node> nodes = new ArrayList<>();
        List<OnnxDefs.TensorDef> inits = new ArrayList<>();
        List<OnnxDefs.ValueInfo> inputs = new ArrayList<>();
        List<OnnxDefs.ValueInfo> outputs = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag, GRAPH_NODE, GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT)) {
                case GRAPH_NODE -> nodes.add(node(sub(in)));
                case GRAPH_INITIALIZER -> inits.add(tensor(sub(in)));
                case GRAPH_INPUT -> inputs.add(valueInfo(sub(in)));
                case GRAPH_OUTPUT -> outputs.add(valueInfo(sub(in)));
                default -> in.skipField(tag);
            }
        }
        return new OnnxDefs.Graph(nodes, inits, inputs, outputs);
    }

    private OnnxDefs.Node node(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "", op = "", domain = "";
        Map<String, OnnxDefs.Attribute> attrs = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag, NODE_INPUT, NODE_OUTPUT, NODE_NAME, NODE_OP_TYPE, NODE_ATTRIBUTE, NODE_DOMAIN)) {
                case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
                case NODE_OUTPUT -> outputs.add(in.readStringRequireUtf8());
                case NODE_NAME -> name = in.readStringRequireUtf8();
                case NODE_OP_TYPE -> op = in.readStringRequireUtf8();
                case NODE_DOMAIN -> domain = in.readStringRequireUtf8();
                case NODE_ATTRIBUTE -> {
                    OnnxDefs.Attribute a = attribute(sub(in));
                    attrs.put(a.name(), a);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxDefs.Node(name, op, domain, inputs, outputs, attrs);
    }

    private OnnxDefs.Attribute attribute(CodedInputStream in) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = null;
        OnnxDefs.TensorDef t = null;
        RepeatedFields.Floats floats = new RepeatedFields.Floats();
        RepeatedFields.Longs ints = new RepeatedFields.Longs();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag, ATTR_NAME, ATTR_F, ATTR_I, ATTR_S, ATTR_T, ATTR_FLOATS, ATTR_INTS, ATTR_TYPE)) {
                case ATTR_NAME -> name = in.readStringRequireUtf8();
                case ATTR_F -> f = in.readFloat();
                case ATTR_I -> i = in.readInt64();
                case ATTR_S -> s = in.readByteArray();
                case ATTR_T -> t = detached(tensor(sub(in)));
                case ATTR_FLOATS -> floats.read(in, tag);
                case ATTR_INTS -> ints.read(in, tag, false);
                case ATTR_TYPE -> type = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return new OnnxDefs.Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    private OnnxDefs.ValueInfo valueInfo(CodedInputStream in) throws IOException {
        String name = "";
        RepeatedFields.Longs dims = new RepeatedFields.Longs();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (field(tag, VALUE_INFO_NAME, VALUE_INFO_TYPE) == VALUE_INFO_NAME) {
                name = in.readStringRequireUtf8();
            } else if (field(tag, VALUE_INFO_TYPE) == VALUE_INFO_TYPE) {
                CodedInputStream type = sub(in);
                for (int t = type.readTag(); t != 0; t = type.readTag()) {
                    if (field(t, TYPE_TENSOR_TYPE) != TYPE_TENSOR_TYPE) {
                        type.skipField(t);
                        continue;
                    }
                    CodedInputStream tensor = sub(type);
                    for (int u = tensor.readTag(); u != 0; u = tensor.readTag()) {
                        if (field(u, TYPE_TENSOR_SHAPE) != TYPE_TENSOR_SHAPE) {
                            tensor.skipField(u);
                            continue;
                        }
                        CodedInputStream shape = sub(tensor);
                        for (int v = shape.readTag(); v != 0; v = shape.readTag()) {
                            if (field(v, SHAPE_DIM) != SHAPE_DIM) {
                                shape.skipField(v);
                                continue;
                            }
                            CodedInputStream dim = sub(shape);
                            long value = -1;
                            for (int w = dim.readTag(); w != 0; w = dim.readTag()) {
                                if (field(w, DIM_VALUE) == DIM_VALUE) {
                                    value = dim.readInt64();
                                } else {
                                    dim.skipField(w);
                                }
                            }
                            dims.add(value);
                        }
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return new OnnxDefs.ValueInfo(name, dims.toArray());
    }

    private OnnxDefs.TensorDef tensor(CodedInputStream in) throws IOException {
        RepeatedFields.Longs dims = new RepeatedFields.Longs();
        int dataType = 0;
        String name = "";
        ByteString raw = null;
        RepeatedFields.Floats floats = new RepeatedFields.Floats();
        RepeatedFields.Longs longs = new RepeatedFields.Longs();
        RepeatedFields.Floats doubles = new RepeatedFields.Floats();
        boolean external = false;
        String location = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag, TENSOR_DIMS, TENSOR_DATA_TYPE, TENSOR_FLOAT_DATA, TENSOR_INT32_DATA,
                    TENSOR_INT64_DATA, TENSOR_NAME, TENSOR_RAW_DATA, TENSOR_DOUBLE_DATA, TENSOR_EXTERNAL_DATA,
                    TENSOR_DATA_LOCATION)) {
                case TENSOR_DIMS -> dims.read(in, tag, false);
                case TENSOR_DATA_TYPE -> dataType = in.readInt32();
                case TENSOR_FLOAT_DATA -> floats.read(in, tag);
                case TENSOR_INT32_DATA -> longs.read(in, tag, true);
                case TENSOR_INT64_DATA -> longs.read(in, tag, false);
                case TENSOR_NAME -> name = in.readStringRequireUtf8();
                case TENSOR_RAW_DATA -> raw = in.readBytes();
                case TENSOR_DOUBLE_DATA -> doubles.readDoubles(in, tag);
                case TENSOR_EXTERNAL_DATA -> {
                    external = true;
                    CodedInputStream entry = sub(in);
                    String key = "", value = "";
                    for (int t = entry.readTag(); t != 0; t = entry.readTag()) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> key = entry.readStringRequireUtf8();
                            case 2 -> value = entry.readStringRequireUtf8();
                            default -> entry.skipField(t);
                        }
                    }
                    if (key.equals("location")) {
                        location = value.length() > 100 ? value.substring(0, 100) + "..." : value;
                    }
                }
                case TENSOR_DATA_LOCATION -> external |= in.readInt32() == LOCATION_EXTERNAL;
                default -> in.skipField(tag);
            }
        }
        if (external) {
            throw bad("tensor '" + name + "' keeps its data in an external file ('" + location + "'); cnn4j imports"
                    + " only self-contained .onnx files (re-save with onnx.save_model(m, path,"
                    + " save_as_external_data=False))");
        }
        long[] shape = dims.toArray();
        int numel = numel(name, shape);
        return switch (dataType) {
            case DTYPE_FLOAT -> new OnnxDefs.TensorDef(name, shape, dataType, floatData(name, raw, 4, numel,
                    floats), null);
            case DTYPE_DOUBLE -> new OnnxDefs.TensorDef(name, shape, dataType, floatData(name, raw, 8, numel,
                    doubles), null);
            case DTYPE_INT64, TYPE_INT32 -> new OnnxDefs.TensorDef(name, shape, dataType, null,
                    raw != null ? rawInts(name, raw, numel, dataType == DTYPE_INT64 ? 8 : 4)
                            : checked(name, longs.toArray(), numel));
            case TYPE_FLOAT16 -> throw bad("tensor '" + name + "' is float16; cnn4j imports float32 models (convert"
                    + " the model to float32 first)");
            default -> throw bad("tensor '" + name + "' has data type " + dataType + "; cnn4j reads FLOAT (1),"
                    + " DOUBLE (11), INT32 (6) and INT64 (7) tensors");
        };
    }

    /** Decodes a (small) attribute tensor now, so the node does not keep the whole file's bytes alive. */
    private static OnnxDefs.TensorDef detached(OnnxDefs.TensorDef t) {
        if (!t.isFloat()) {
            return t;
        }
        float[] values = t.floats();
        return new OnnxDefs.TensorDef(t.name(), t.dims(), t.dataType(), () -> values, null);
    }

    private int numel(String name, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0 || (d > 0 && n > Integer.MAX_VALUE / d)) {
                throw bad("tensor '" + name + "' declares shape " + Arrays.toString(dims) + ": dimensions must be"
                        + " non-negative with at most " + Integer.MAX_VALUE + " elements in all");
            }
            n *= d;
        }
        return (int) n;
    }

    private float[] checked(String name, float[] data, int numel) {
        if (data.length != numel) {
            throw bad("tensor '" + name + "' declares " + numel + " elements but holds " + data.length);
        }
        return data;
    }

    private long[] checked(String name, long[] data, int numel) {
        if (data.length != numel) {
            throw bad("tensor '" + name + "' declares " + numel + " elements but holds " + data.length);
        }
        return data;
    }

    private ByteBuffer rawBytes(String name, ByteString raw, int numel, int width) {
        if (raw.size() != (long) numel * width) {
            throw bad("tensor '" + name + "' declares " + numel + " elements (" + (long) numel * width
                    + " bytes) but its raw_data has " + raw.size() + " bytes");
        }
        return raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Checks the data's size now; decodes raw little-endian float32/float64 bytes when asked. */
    private Supplier<float[]> floatData(String name, ByteString raw, int width, int numel,
                                       RepeatedFields.Floats listed) {
        if (raw == null) {
            float[] values = checked(name, listed.toArray(), numel);
            return () -> values;
        }
        rawBytes(name, raw, numel, width);
        return () -> {
            ByteBuffer b = rawBytes(name, raw, numel, width);
            float[] out = new float[numel];
            if (width == 4) {
                b.asFloatBuffer().get(out);
            } else {
                for (int i = 0; i < numel; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            return out;
        };
    }

    private long[] rawInts(String name, ByteString raw, int numel, int width) {
        ByteBuffer b = rawBytes(name, raw, numel, width);
        long[] out = new long[numel];
        for (int i = 0; i < numel; i++) {
            out[i] = width == 8 ? b.getLong(i * 8) : b.getInt(i * 4);
        }
        return out;
    }
}
