package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuActivation {
    private CpuActivation() {
    }

    static void forward(org.cnn4j.backend.Activation act, float alpha, float[] x, float[] y) {
        throw new UnsupportedOperationException("CpuActivation not implemented yet");
    }

    static void backward(org.cnn4j.backend.Activation act, float alpha, float[] x, float[] y, float[] dy, float[] dx) {
        throw new UnsupportedOperationException("CpuActivation not implemented yet");
    }
}
