package org.cnn4j.io.tensorboard;

import java.io.IOException;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.cnn4j.io.ProtoMessages;

/**
 * Encodes the Event and Summary messages of {@code src/main/proto/tensorboard_events.proto} with protobuf-java's
 * {@link CodedOutputStream}. The field numbers below are those of that file (and of TensorFlow's event.proto and
 * summary.proto); a test checks them against it.
 */
final class EventProtos {
    /** The version TensorBoard expects in an events file's first record. */
    static final String FILE_VERSION = "brain.Event:2";

    static final int EVENT_WALL_TIME = 1;
    static final int EVENT_STEP = 2;
    static final int EVENT_FILE_VERSION = 3;
    static final int EVENT_SUMMARY = 5;

    static final int SUMMARY_VALUE = 1;

    static final int VALUE_TAG = 1;
    static final int VALUE_SIMPLE_VALUE = 2;
    static final int VALUE_IMAGE = 4;
    static final int VALUE_HISTO = 5;

    static final int IMAGE_HEIGHT = 1;
    static final int IMAGE_WIDTH = 2;
    static final int IMAGE_COLORSPACE = 3;
    static final int IMAGE_ENCODED = 4;

    static final int HISTO_MIN = 1;
    static final int HISTO_MAX = 2;
    static final int HISTO_NUM = 3;
    static final int HISTO_SUM = 4;
    static final int HISTO_SUM_SQUARES = 5;
    static final int HISTO_BUCKET_LIMIT = 6;
    static final int HISTO_BUCKET = 7;

    /** Summary.Image colorspace values. */
    static final int COLORSPACE_GRAY = 1;
    static final int COLORSPACE_RGB = 3;

    private EventProtos() {
    }

    private static byte[] encode(ProtoMessages.Body body) {
        return ProtoMessages.encode(body);
    }

    /** The first event of every file: which format version follows. */
    static byte[] fileVersionEvent(double wallTime) {
        return encode(out -> {
            out.writeDouble(EVENT_WALL_TIME, wallTime);
            out.writeString(EVENT_FILE_VERSION, FILE_VERSION);
        });
    }

    /** An Event holding a Summary of the given encoded Summary.Value messages. */
    static byte[] summaryEvent(double wallTime, long step, byte[]... values) {
        byte[] summary = encode(out -> {
            for (byte[] value : values) {
                out.writeByteArray(SUMMARY_VALUE, value);
            }
        });
        return encode(out -> {
            out.writeDouble(EVENT_WALL_TIME, wallTime);
            out.writeInt64(EVENT_STEP, step);
            out.writeByteArray(EVENT_SUMMARY, summary);
        });
    }

    static byte[] scalarValue(String tag, float value) {
        return encode(out -> {
            out.writeString(VALUE_TAG, tag);
            out.writeFloat(VALUE_SIMPLE_VALUE, value);
        });
    }

    static byte[] imageValue(String tag, int height, int width, int colorspace, byte[] png) {
        byte[] image = encode(out -> {
            out.writeInt32(IMAGE_HEIGHT, height);
            out.writeInt32(IMAGE_WIDTH, width);
            out.writeInt32(IMAGE_COLORSPACE, colorspace);
            out.writeByteArray(IMAGE_ENCODED, png);
        });
        return encode(out -> {
            out.writeString(VALUE_TAG, tag);
            out.writeByteArray(VALUE_IMAGE, image);
        });
    }

    static byte[] histogramValue(String tag, Histogram h) {
        byte[] histo = encode(out -> {
            out.writeDouble(HISTO_MIN, h.min());
            out.writeDouble(HISTO_MAX, h.max());
            out.writeDouble(HISTO_NUM, h.num());
            out.writeDouble(HISTO_SUM, h.sum());
            out.writeDouble(HISTO_SUM_SQUARES, h.sumSquares());
            writePackedDoubles(out, HISTO_BUCKET_LIMIT, h.limits());
            writePackedDoubles(out, HISTO_BUCKET, h.counts());
        });
        return encode(out -> {
            out.writeString(VALUE_TAG, tag);
            out.writeByteArray(VALUE_HISTO, histo);
        });
    }

    /** A proto3 repeated double: one length-delimited field of 8-byte little-endian values. */
    private static void writePackedDoubles(CodedOutputStream out, int field, double[] values) throws IOException {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(values.length * 8);
        for (double v : values) {
            out.writeDoubleNoTag(v);
        }
    }
}
