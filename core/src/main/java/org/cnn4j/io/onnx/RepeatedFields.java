package org.cnn4j.io.onnx;

import java.io.IOException;
import java.util.Arrays;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/** Growable lists for protobuf's repeated numeric fields, which a writer may send packed or one by one. */
final class RepeatedFields {
    private RepeatedFields() {
    }

    /** A growable float list for repeated fields, packed or not. */
    static final class Floats {
        private float[] data = new float[8];
        private int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void read(CodedInputStream in, int tag) throws IOException {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream packed = OnnxReader.sub(in);
                while (!packed.isAtEnd()) {
                    add(packed.readFloat());
                }
            } else {
                add(in.readFloat());
            }
        }

        void readDoubles(CodedInputStream in, int tag) throws IOException {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream packed = OnnxReader.sub(in);
                while (!packed.isAtEnd()) {
                    add((float) packed.readDouble());
                }
            } else {
                add((float) in.readDouble());
            }
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** A growable long list for repeated integer fields, packed or not. */
    static final class Longs {
        private long[] data = new long[8];
        private int size;

        void add(long v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void read(CodedInputStream in, int tag, boolean int32) throws IOException {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream packed = OnnxReader.sub(in);
                while (!packed.isAtEnd()) {
                    add(int32 ? packed.readInt32() : packed.readInt64());
                }
            } else {
                add(int32 ? in.readInt32() : in.readInt64());
            }
        }

        long[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
