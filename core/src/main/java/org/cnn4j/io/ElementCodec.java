package org.cnn4j.io;

import java.nio.ByteBuffer;

import org.cnn4j.tensor.DType;

/** Converts little-endian element bytes (safetensors, PyTorch storages) to and from float32. */
final class ElementCodec {
    private ElementCodec() {
    }

    /** Decodes {@code count} elements from {@code src} (little-endian, positioned) into {@code dst[offset..]}. */
    static void decode(DType dtype, ByteBuffer src, float[] dst, int offset, int count) {
        int end = offset + count;
        switch (dtype) {
            case FLOAT32 -> src.asFloatBuffer().get(dst, offset, count);
            case FLOAT16 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = halfToFloat(src.getShort());
                }
            }
            case BFLOAT16 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = Float.intBitsToFloat((src.getShort() & 0xffff) << 16);
                }
            }
            case FLOAT64 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = (float) src.getDouble();
                }
            }
            case INT64 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = (float) src.getLong();
                }
            }
            case INT32 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = (float) src.getInt();
                }
            }
            case UINT8 -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.get() & 0xff;
                }
            }
        }
    }

    /** IEEE 754 binary16 to float32 (exact: every half value is representable as a float). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // zero or subnormal
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** Encodes {@code src[offset..offset+count)} as F32 into {@code dst} (little-endian). */
    static void encodeF32(float[] src, int offset, int count, ByteBuffer dst) {
        dst.asFloatBuffer().put(src, offset, count);
        dst.position(dst.position() + 4 * count);
    }

    /**
     * Encodes as I64; every value must be an integer (an integer-valued buffer such as num_batches_tracked).
     * Returns the index of the first value that is not, or -1.
     */
    static int encodeI64(float[] src, int offset, int count, ByteBuffer dst) {
        for (int i = offset; i < offset + count; i++) {
            float v = src[i];
            if (v != Math.rint(v) || Math.abs(v) >= 0x1p63f) {
                return i;
            }
            dst.putLong((long) v);
        }
        return -1;
    }
}
