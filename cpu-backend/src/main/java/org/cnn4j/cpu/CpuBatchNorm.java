package org.cnn4j.cpu;

/** TODO: kernels not written yet. */
final class CpuBatchNorm {
    private CpuBatchNorm() {
    }

    static void forwardTraining(float[] x, int[] xDims, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float momentum, float eps, float[] y, float[] saveMean, float[] saveInvStd) {
        throw new UnsupportedOperationException("CpuBatchNorm not implemented yet");
    }

    static void forwardInference(float[] x, int[] xDims, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float eps, float[] y) {
        throw new UnsupportedOperationException("CpuBatchNorm not implemented yet");
    }

    static void backward(float[] x, int[] xDims, float[] dy, float[] gamma, float[] saveMean, float[] saveInvStd, float[] dx, float[] dgamma, float[] dbeta) {
        throw new UnsupportedOperationException("CpuBatchNorm not implemented yet");
    }
}
