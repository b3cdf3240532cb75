package org.cnn4j.io.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.cnn4j.io.ProtoMessages;

/**
 * Field numbers of {@code src/main/proto/onnx.proto} (those of ONNX's own onnx.proto; a test checks them against
 * the file) and the encoders the exporter uses, written with protobuf-java's {@link CodedOutputStream}.
 */
final class OnnxProtos {
    static final int MODEL_IR_VERSION = 1;
    static final int MODEL_PRODUCER_NAME = 2;
    static final int MODEL_PRODUCER_VERSION = 3;
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;

    static final int GRAPH_NODE = 1;
    static final int GRAPH_NAME = 2;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;

    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    static final int NODE_DOMAIN = 7;

    static final int ATTR_NAME = 1;
    static final int ATTR_F = 2;
    static final int ATTR_I = 3;
    static final int ATTR_S = 4;
    static final int ATTR_T = 5;
    static final int ATTR_FLOATS = 7;
    static final int ATTR_INTS = 8;
    static final int ATTR_STRINGS = 9;
    static final int ATTR_TYPE = 20;

    /** AttributeProto.AttributeType values. */
    static final int ATTR_TYPE_FLOAT = 1;
    static final int ATTR_TYPE_INT = 2;
    static final int ATTR_TYPE_STRING = 3;
    static final int ATTR_TYPE_TENSOR = 4;
    static final int ATTR_TYPE_FLOATS = 6;
    static final int ATTR_TYPE_INTS = 7;

    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_FLOAT_DATA = 4;
    static final int TENSOR_INT32_DATA = 5;
    static final int TENSOR_INT64_DATA = 7;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final int TENSOR_DOUBLE_DATA = 10;
    static final int TENSOR_EXTERNAL_DATA = 13;
    static final int TENSOR_DATA_LOCATION = 14;

    /** TensorProto.DataType values. */
    static final int DTYPE_FLOAT = 1;
    static final int DTYPE_INT32 = 6;
    static final int DTYPE_INT64 = 7;
    static final int DTYPE_DOUBLE = 11;

    static final int VALUE_INFO_NAME = 1;
    static final int VALUE_INFO_TYPE = 2;
    static final int TYPE_TENSOR_TYPE = 1;
    static final int TYPE_TENSOR_ELEM_TYPE = 1;
    static final int TYPE_TENSOR_SHAPE = 2;
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;

    static final int OPSET_DOMAIN = 1;
    static final int OPSET_VERSION = 2;

    /** IR version 8 goes with opsets up to 18 (ONNX 1.13). */
    static final int IR_VERSION = 8;

    private OnnxProtos() {
    }

    static byte[] encode(ProtoMessages.Body body) {
        return ProtoMessages.encode(body);
    }

    static byte[] floatTensor(String name, long[] dims, float[] data) {
        return encode(out -> writeFloatTensor(out, name, dims, data));
    }

    /** The encoded size of a float TensorProto as {@link #writeFloatTensor} writes it, without its data at hand. */
    static long floatTensorSize(String name, long[] dims, long numel) {
        long size = CodedOutputStream.computeInt32Size(TENSOR_DATA_TYPE, DTYPE_FLOAT)
                + CodedOutputStream.computeStringSize(TENSOR_NAME, name)
                + CodedOutputStream.computeTagSize(TENSOR_RAW_DATA)
                + CodedOutputStream.computeUInt64SizeNoTag(numel * 4) + numel * 4;
        for (long d : dims) {
            size += CodedOutputStream.computeInt64Size(TENSOR_DIMS, d);
        }
        return size;
    }

    /** A float TensorProto's fields, the raw little-endian data streamed in chunks (no second copy of it). */
    static void writeFloatTensor(CodedOutputStream out, String name, long[] dims, float[] data) throws IOException {
        for (long d : dims) {
            out.writeInt64(TENSOR_DIMS, d);
        }
        out.writeInt32(TENSOR_DATA_TYPE, DTYPE_FLOAT);
        out.writeString(TENSOR_NAME, name);
        out.writeTag(TENSOR_RAW_DATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt64NoTag(data.length * 4L);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; i += chunk.capacity() / 4) {
            int n = Math.min(chunk.capacity() / 4, data.length - i);
            chunk.clear();
            chunk.asFloatBuffer().put(data, i, n);
            out.writeRawBytes(chunk.array(), 0, n * 4);
        }
    }

    static byte[] int64Tensor(String name, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return encode(out -> {
            out.writeInt64(TENSOR_DIMS, values.length);
            out.writeInt32(TENSOR_DATA_TYPE, DTYPE_INT64);
            out.writeString(TENSOR_NAME, name);
            out.writeByteArray(TENSOR_RAW_DATA, raw.array());
        });
    }

    static byte[] intAttr(String name, long value) {
        return encode(out -> {
            out.writeString(ATTR_NAME, name);
            out.writeInt64(ATTR_I, value);
            out.writeInt32(ATTR_TYPE, ATTR_TYPE_INT);
        });
    }

    static byte[] floatAttr(String name, float value) {
        return encode(out -> {
            out.writeString(ATTR_NAME, name);
            out.writeFloat(ATTR_F, value);
            out.writeInt32(ATTR_TYPE, ATTR_TYPE_FLOAT);
        });
    }

    static byte[] intsAttr(String name, long... values) {
        return encode(out -> {
            out.writeString(ATTR_NAME, name);
            for (long v : values) {
                out.writeInt64(ATTR_INTS, v);
            }
            out.writeInt32(ATTR_TYPE, ATTR_TYPE_INTS);
        });
    }

    static byte[] node(String name, String opType, List<String> inputs, List<String> outputs, List<byte[]> attrs) {
        return encode(out -> {
            for (String in : inputs) {
                out.writeString(NODE_INPUT, in);
            }
            for (String o : outputs) {
                out.writeString(NODE_OUTPUT, o);
            }
            out.writeString(NODE_NAME, name);
            out.writeString(NODE_OP_TYPE, opType);
            for (byte[] a : attrs) {
                out.writeByteArray(NODE_ATTRIBUTE, a);
            }
        });
    }

    /** A float tensor's ValueInfo; a negative dimension is written as the symbolic {@code batch}. */
    static byte[] valueInfo(String name, long[] dims) {
        byte[] shape = encode(out -> {
            for (long d : dims) {
                out.writeByteArray(SHAPE_DIM, encode(dim -> {
                    if (d < 0) {
                        dim.writeString(DIM_PARAM, "batch");
                    } else {
                        dim.writeInt64(DIM_VALUE, d);
                    }
                }));
            }
        });
        byte[] tensorType = encode(out -> {
            out.writeInt32(TYPE_TENSOR_ELEM_TYPE, DTYPE_FLOAT);
            out.writeByteArray(TYPE_TENSOR_SHAPE, shape);
        });
        return encode(out -> {
            out.writeString(VALUE_INFO_NAME, name);
            out.writeByteArray(VALUE_INFO_TYPE, encode(t -> t.writeByteArray(TYPE_TENSOR_TYPE, tensorType)));
        });
    }

    static byte[] opset(long version) {
        return encode(out -> {
            out.writeString(OPSET_DOMAIN, "");
            out.writeInt64(OPSET_VERSION, version);
        });
    }
}
