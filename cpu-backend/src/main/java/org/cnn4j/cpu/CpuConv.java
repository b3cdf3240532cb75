package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuConv {
    private CpuConv() {
    }

    static void forward(float[] x, int[] xDims, float[] w, int[] wDims, float[] y, int[] yDims, org.cnn4j.backend.ConvSpec spec) {
        throw new UnsupportedOperationException("CpuConv not implemented yet");
    }

    static void backwardData(float[] dy, int[] dyDims, float[] w, int[] wDims, float[] dx, int[] dxDims, org.cnn4j.backend.ConvSpec spec) {
        throw new UnsupportedOperationException("CpuConv not implemented yet");
    }

    static void backwardFilter(float[] x, int[] xDims, float[] dy, int[] dyDims, float[] dw, int[] dwDims, org.cnn4j.backend.ConvSpec spec) {
        throw new UnsupportedOperationException("CpuConv not implemented yet");
    }

    static void backwardBias(float[] dy, int[] dyDims, float[] db) {
        throw new UnsupportedOperationException("CpuConv not implemented yet");
    }
}
