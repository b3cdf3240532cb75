package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuOptim {
    private CpuOptim() {
    }

    static void sgd(float[] param, float[] grad, float[] momentumBuf, org.cnn4j.backend.SgdParams p, boolean firstStep) {
        throw new UnsupportedOperationException("CpuOptim not implemented yet");
    }

    static void adam(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, org.cnn4j.backend.AdamParams p) {
        throw new UnsupportedOperationException("CpuOptim not implemented yet");
    }
}
