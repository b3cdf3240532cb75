package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuSoftmax {
    private CpuSoftmax() {
    }

    static void forward(boolean log, float[] x, int rows, int cols, float[] y) {
        throw new UnsupportedOperationException("CpuSoftmax not implemented yet");
    }

    static void backward(boolean log, float[] y, float[] dy, int rows, int cols, float[] dx) {
        throw new UnsupportedOperationException("CpuSoftmax not implemented yet");
    }
}
