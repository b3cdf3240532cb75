package org.cnn4j.cpu;

import java.util.Arrays;

import org.cnn4j.backend.ConvSpec;

/**
 * Depthwise convolution (groups == in channels == out channels: each output channel reads its own input channel
 * through its own R x S filter), the core of MobileNet, MNASNet, EfficientNet and ConvNeXt. The im2col + GEMM path
 * turns it into C GEMMs of one row each; here each (image, channel) plane is a task of its own, and the taps run
 * as whole output rows ({@code y[q] += w * x[q * stride + offset]}), a loop the JIT vectorises at stride 1.
 *
 * <p>Every value is computed in a fixed order that depends only on the shapes, never on the thread count:
 * forward and filter gradients add their products in the order {@link CpuConvReference} does, so they equal it
 * bit for bit; the data gradient of a plane is accumulated by one task in (row, tap, column) order.
 */
final class CpuDepthwise {
    private CpuDepthwise() {
    }

    /** Whether the conv is depthwise: one input and one output channel per group. */
    static boolean applies(int[] xd, int[] wd, ConvSpec spec) {
        return spec.groups() > 1 && spec.groups() == xd[1] && wd[0] == xd[1] && wd[1] == 1;
    }

    /** Geometry of one plane: input h x w, output p x q, kernel r x s, and the spec. */
    private record Plane(int h, int w, int p, int q, int r, int s, ConvSpec spec) {
        static Plane of(int[] xd, int[] wd, int[] yd, ConvSpec spec) {
            return new Plane(xd[2], xd[3], yd[2], yd[3], wd[2], wd[3], spec);
        }

        /** First output column whose tap at column offset {@code off} reads inside the row, and one past the last. */
        int qBegin(int off) {
            return off >= 0 ? 0 : Math.min(q, ceilDiv(-off, spec.strideW()));
        }

        int qEnd(int off) {
            int last = w - 1 - off; // x column of output q is q * stride + off <= w - 1
            return last < 0 ? 0 : Math.min(q, last / spec.strideW() + 1);
        }

        long flops() {
            return 2L * p * q * r * s;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The work at one (output row, filter tap) pair: output columns [q0, q1) read input columns q * stride + off. */
    @FunctionalInterface
    private interface RowTap {
        void run(int outRow, int inRow, int tap, int off, int q0, int q1);
    }

    /**
     * Visits the (output row, tap) pairs whose input row is inside the plane, in (row, tap row, tap column) order,
     * with the range of output columns whose input column is inside too. The bodies below loop over that range.
     */
    private static void forEachRowTap(Plane g, RowTap body) {
        ConvSpec sp = g.spec();
        for (int ip = 0; ip < g.p(); ip++) {
            for (int ir = 0; ir < g.r(); ir++) {
                int ih = ip * sp.strideH() - sp.padH() + ir * sp.dilationH();
                if (ih < 0 || ih >= g.h()) {
                    continue;
                }
                for (int is = 0; is < g.s(); is++) {
                    int off = is * sp.dilationW() - sp.padW();
                    body.run(ip, ih, ir * g.s() + is, off, g.qBegin(off), g.qEnd(off));
                }
            }
        }
    }

    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec spec) {
        Plane g = Plane.of(xd, wd, yd, spec);
        int channels = xd[1];
        CpuThreads.parallelFor(xd[0] * channels, g.flops(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                forwardPlane(x, plane * g.h() * g.w(), w, (plane % channels) * g.r() * g.s(), y,
                        plane * g.p() * g.q(), g);
            }
        });
    }

    private static void forwardPlane(float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, Plane g) {
        int stride = g.spec().strideW();
        Arrays.fill(y, yOff, yOff + g.p() * g.q(), 0f);
        forEachRowTap(g, (ip, ih, tap, off, q0, q1) -> {
            float wv = w[wOff + tap];
            int yRow = yOff + ip * g.q(), xRow = xOff + ih * g.w();
            if (stride == 1) {
                int base = xRow + off;
                for (int iq = q0; iq < q1; iq++) {
                    y[yRow + iq] += x[base + iq] * wv;
                }
            } else {
                for (int iq = q0; iq < q1; iq++) {
                    y[yRow + iq] += x[xRow + iq * stride + off] * wv;
                }
            }
        });
    }

    /** dx = the transposed convolution of dy; each task owns whole planes of dx, so nothing is shared. */
    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec spec) {
        Plane g = Plane.of(xd, wd, yd, spec);
        int channels = xd[1];
        CpuThreads.parallelFor(xd[0] * channels, g.flops(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                backwardDataPlane(dy, plane * g.p() * g.q(), w, (plane % channels) * g.r() * g.s(), dx,
                        plane * g.h() * g.w(), g);
            }
        });
    }

    private static void backwardDataPlane(float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                                          Plane g) {
        int stride = g.spec().strideW();
        Arrays.fill(dx, dxOff, dxOff + g.h() * g.w(), 0f);
        forEachRowTap(g, (ip, ih, tap, off, q0, q1) -> {
            float wv = w[wOff + tap];
            int dyRow = dyOff + ip * g.q(), dxRow = dxOff + ih * g.w();
            if (stride == 1) {
                int base = dxRow + off;
                for (int iq = q0; iq < q1; iq++) {
                    dx[base + iq] += dy[dyRow + iq] * wv;
                }
            } else {
                for (int iq = q0; iq < q1; iq++) {
                    dx[dxRow + iq * stride + off] += dy[dyRow + iq] * wv;
                }
            }
        });
    }

    /**
     * dw[c, r, s] = sum over images, output rows and columns of dy * x, in parallel over channels (each owns its
     * filter); the products are added in (image, row, column) order, as the reference loop does.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec) {
        Plane g = Plane.of(xd, wd, yd, spec);
        int n = xd[0], channels = xd[1];
        int stride = spec.strideW();
        CpuThreads.parallelFor(channels, n * g.flops(), (from, to) -> {
            for (int c = from; c < to; c++) {
                int wOff = c * g.r() * g.s();
                Arrays.fill(dw, wOff, wOff + g.r() * g.s(), 0f);
                for (int in = 0; in < n; in++) {
                    int xOff = (in * channels + c) * g.h() * g.w(), dyOff = (in * channels + c) * g.p() * g.q();
                    forEachRowTap(g, (ip, ih, tap, off, q0, q1) -> {
                        int dyRow = dyOff + ip * g.q(), xRow = xOff + ih * g.w();
                        float acc = dw[wOff + tap];
                        for (int iq = q0; iq < q1; iq++) {
                            acc += dy[dyRow + iq] * x[xRow + iq * stride + off];
                        }
                        dw[wOff + tap] = acc;
                    });
                }
            }
        });
    }
}
