package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuElementwise {
    private CpuElementwise() {
    }

    static void copyAlongAxis(float[] src, int[] srcDims, int srcStart, float[] dst, int[] dstDims, int dstStart, int axis, int length) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void binary(org.cnn4j.backend.BinaryOp op, float[] a, int[] aDims, float[] b, int[] bDims, float[] out, int[] outDims) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void unary(org.cnn4j.backend.UnaryOp op, float[] x, float[] out) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void scalar(org.cnn4j.backend.ScalarOp op, float[] x, float s, float[] out) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void reduceSumTo(float[] src, int[] srcDims, float[] dst, int[] dstDims) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void dropout(float[] x, float p, long seed, float[] mask, float[] y) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }
}
