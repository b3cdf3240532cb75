package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuPool {
    private CpuPool() {
    }

    static void forward(float[] x, int[] xDims, float[] y, int[] yDims, org.cnn4j.backend.PoolSpec spec) {
        throw new UnsupportedOperationException("CpuPool not implemented yet");
    }

    static void backward(float[] x, int[] xDims, float[] dy, int[] dyDims, float[] dx, org.cnn4j.backend.PoolSpec spec) {
        throw new UnsupportedOperationException("CpuPool not implemented yet");
    }

    static void adaptiveAvgForward(float[] x, int[] xDims, float[] y, int[] yDims) {
        throw new UnsupportedOperationException("CpuPool not implemented yet");
    }

    static void adaptiveAvgBackward(float[] dy, int[] dyDims, float[] dx, int[] dxDims) {
        throw new UnsupportedOperationException("CpuPool not implemented yet");
    }
}
