package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuLoss {
    private CpuLoss() {
    }

    static void nllForward(float[] logProbs, int rows, int cols, float[] labels, float smoothing, float[] losses) {
        throw new UnsupportedOperationException("CpuLoss not implemented yet");
    }

    static void nllBackward(float[] labels, float smoothing, float[] dLosses, int rows, int cols, float[] dLogProbs) {
        throw new UnsupportedOperationException("CpuLoss not implemented yet");
    }
}
