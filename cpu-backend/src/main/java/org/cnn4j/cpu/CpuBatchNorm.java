package org.cnn4j.cpu;

/**
 * Batch normalisation over [N,C,H,W] or [N,C], one channel per parallel task. Sums are accumulated in double;
 * the variance is computed in two passes (mean first) to avoid cancellation.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {
    }

    static void forwardTraining(float[] x, int[] xDims, float[] gamma, float[] beta, float[] runningMean,
                                float[] runningVar, float momentum, float eps, float[] y, float[] saveMean,
                                float[] saveInvStd) {
        int n = xDims[0];
        int c = xDims[1];
        int hw = spatial(xDims);
        long count = (long) n * hw;
        CpuThreads.parallelFor(c, 3 * count, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int k = 0; k < hw; k++) {
                        sum += x[base + k];
                    }
                }
                double mean = sum / count;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int k = 0; k < hw; k++) {
                        double d = x[base + k] - mean;
                        sq += d * d;
                    }
                }
                double var = sq / count;
                double unbiased = count > 1 ? sq / (count - 1) : Double.NaN;
                double invStd = 1.0 / Math.sqrt(var + eps);
                runningMean[ch] = (float) ((1.0 - momentum) * runningMean[ch] + momentum * mean);
                runningVar[ch] = (float) ((1.0 - momentum) * runningVar[ch] + momentum * unbiased);
                saveMean[ch] = (float) mean;
                saveInvStd[ch] = (float) invStd;
                normalise(x, y, n, c, hw, ch, mean, invStd * gamma[ch], beta[ch]);
            }
        });
    }

    static void forwardInference(float[] x, int[] xDims, float[] gamma, float[] beta, float[] runningMean,
                                 float[] runningVar, float eps, float[] y) {
        int n = xDims[0];
        int c = xDims[1];
        int hw = spatial(xDims);
        CpuThreads.parallelFor(c, 2L * n * hw, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double invStd = 1.0 / Math.sqrt((double) runningVar[ch] + eps);
                normalise(x, y, n, c, hw, ch, runningMean[ch], invStd * gamma[ch], beta[ch]);
            }
        });
    }

    /** {@code y = (x - mean) * scale + shift} over one channel. */
    private static void normalise(float[] x, float[] y, int n, int c, int hw, int ch, double mean, double scale,
                                  double shift) {
        float m = (float) mean;
        float s = (float) scale;
        float b = (float) shift;
        for (int i = 0; i < n; i++) {
            int base = (i * c + ch) * hw;
            for (int k = 0; k < hw; k++) {
                y[base + k] = (x[base + k] - m) * s + b;
            }
        }
    }

    /**
     * With xhat = (x - mean) * invStd: dbeta = sum dy, dgamma = sum dy * xhat,
     * dx = gamma * invStd / M * (M * dy - dbeta - xhat * dgamma), M = N*H*W.
     */
    static void backward(float[] x, int[] xDims, float[] dy, float[] gamma, float[] saveMean, float[] saveInvStd,
                         float[] dx, float[] dgamma, float[] dbeta) {
        int n = xDims[0];
        int c = xDims[1];
        int hw = spatial(xDims);
        long count = (long) n * hw;
        CpuThreads.parallelFor(c, 6 * count, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = saveMean[ch];
                double invStd = saveInvStd[ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int k = 0; k < hw; k++) {
                        double g = dy[base + k];
                        sumDy += g;
                        sumDyXhat += g * (x[base + k] - mean) * invStd;
                    }
                }
                dbeta[ch] = (float) sumDy;
                dgamma[ch] = (float) sumDyXhat;
                double scale = gamma[ch] * invStd;
                double meanDy = sumDy / count;
                double meanDyXhat = sumDyXhat / count;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int k = 0; k < hw; k++) {
                        double xhat = (x[base + k] - mean) * invStd;
                        dx[base + k] = (float) (scale * (dy[base + k] - meanDy - xhat * meanDyXhat));
                    }
                }
            }
        });
    }

    private static int spatial(int[] xDims) {
        return xDims.length == 4 ? xDims[2] * xDims[3] : 1;
    }
}
