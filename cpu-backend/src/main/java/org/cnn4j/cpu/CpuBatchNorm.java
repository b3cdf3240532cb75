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
                    sum += sum(x, (i * c + ch) * hw, hw);
                }
                double mean = sum / count;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    sq += sumSquaredDeviations(x, (i * c + ch) * hw, hw, mean);
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
                double sumDyCentred = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    sumDy += sum(dy, base, hw);
                    sumDyCentred += sumProductsCentred(dy, x, base, hw, mean);
                }
                double sumDyXhat = sumDyCentred * invStd;
                dbeta[ch] = (float) sumDy;
                dgamma[ch] = (float) sumDyXhat;
                double scale = gamma[ch] * invStd;
                double meanDy = sumDy / count;
                double meanDyXhat = sumDyXhat / count;
                // dx = scale * (dy - meanDy - (x - mean) * invStd * meanDyXhat) = fDy * dy + fX * x + f0, in float
                // so the loop vectorises
                float fDy = (float) scale;
                float fX = (float) (-scale * invStd * meanDyXhat);
                float f0 = (float) (scale * (invStd * meanDyXhat * mean - meanDy));
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int k = 0; k < hw; k++) {
                        dx[base + k] = fDy * dy[base + k] + fX * x[base + k] + f0;
                    }
                }
            }
        });
    }

    /*
     * Double sums in four independent chains: one chain is bound by the add latency, and these run over every
     * activation of the network in each training step.
     */
    private static double sum(float[] v, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += v[off + k];
            s1 += v[off + k + 1];
            s2 += v[off + k + 2];
            s3 += v[off + k + 3];
        }
        for (; k < len; k++) {
            s0 += v[off + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumSquaredDeviations(float[] v, int off, int len, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            double d0 = v[off + k] - mean, d1 = v[off + k + 1] - mean;
            double d2 = v[off + k + 2] - mean, d3 = v[off + k + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; k < len; k++) {
            double d = v[off + k] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum g * (x - mean) over one run. */
    private static double sumProductsCentred(float[] g, float[] x, int off, int len, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += g[off + k] * (x[off + k] - mean);
            s1 += g[off + k + 1] * (x[off + k + 1] - mean);
            s2 += g[off + k + 2] * (x[off + k + 2] - mean);
            s3 += g[off + k + 3] * (x[off + k + 3] - mean);
        }
        for (; k < len; k++) {
            s0 += g[off + k] * (x[off + k] - mean);
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static int spatial(int[] xDims) {
        return xDims.length == 4 ? xDims[2] * xDims[3] : 1;
    }
}
