package org.cnn4j.backend;

/**
 * 2-D max/avg pooling parameters with PyTorch semantics: {@code ceilMode} as in {@code nn.MaxPool2d},
 * {@code countIncludePad} as in {@code nn.AvgPool2d} (PyTorch's default is true).
 */
public record PoolSpec(PoolMode mode, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                       boolean ceilMode, boolean countIncludePad) {

    public enum PoolMode { MAX, AVG }

    public PoolSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(mode + " pool2d: kernel and stride must be >= 1, got kernel "
                    + kernelH + "x" + kernelW + " stride " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException(mode + " pool2d: padding must be between 0 and half the kernel ("
                    + kernelH + "x" + kernelW + "), got " + padH + "x" + padW);
        }
    }

    public static PoolSpec max(int kernel, int stride, int padding) {
        return new PoolSpec(PoolMode.MAX, kernel, kernel, stride, stride, padding, padding, false, true);
    }

    public static PoolSpec avg(int kernel, int stride, int padding) {
        return new PoolSpec(PoolMode.AVG, kernel, kernel, stride, stride, padding, padding, false, true);
    }

    public PoolSpec withCeilMode(boolean ceil) {
        return new PoolSpec(mode, kernelH, kernelW, strideH, strideW, padH, padW, ceil, countIncludePad);
    }

    public PoolSpec withCountIncludePad(boolean include) {
        return new PoolSpec(mode, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, include);
    }

    public int outH(int h) {
        return outSize(h, kernelH, strideH, padH);
    }

    public int outW(int w) {
        return outSize(w, kernelW, strideW, padW);
    }

    /** PyTorch's pooling output size, including the rule that the last window must start inside the input. */
    private int outSize(int in, int k, int s, int p) {
        int span = in + 2 * p - k;
        int out = (ceilMode ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
        if (ceilMode && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }
}
