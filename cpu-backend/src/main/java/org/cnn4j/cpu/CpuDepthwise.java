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
        ConvSpec sp = g.spec();
        int stride = sp.strideW();
        for (int ip = 0; ip < g.p(); ip++) {
            int yRow = yOff + ip * g.q();
            Arrays.fill(y, yRow, yRow + g.q(), 0f);
            for (int ir = 0; ir < g.r(); ir++) {
                int ih = ip * sp.strideH() - sp.padH() + ir * sp.dilationH();
                if (ih < 0 || ih >= g.h()) {
                    continue;
                }
                int xRow = xOff + ih * g.w();
                for (int is = 0; is < g.s(); is++) {
                    float tap = w[wOff + ir * g.s() + is];
                    int off = is * sp.dilationW() - sp.padW();
                    int q0 = g.qBegin(off), q1 = g.qEnd(off);
                    if (stride == 1) {
                        int base = xRow + off;
                        for (int iq = q0; iq < q1; iq++) {
                            y[yRow + iq] += x[base + iq] * tap;
                        }
                    } else {
                        for (int iq = q0; iq < q1; iq++) {
                            y[yRow + iq] += x[xRow + iq * stride + off] * tap;
                        }
                    }
                }
            }
        }
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
        ConvSpec sp = g.spec();
        int stride = sp.strideW();
        Arrays.fill(dx, dxOff, dxOff + g.h() * g.w(), 0f);
        for (int ip = 0; ip < g.p(); ip++) {
            int dyRow = dyOff + ip * g.q();
            for (int ir = 0; ir < g.r(); ir++) {
                int ih = ip * sp.strideH() - sp.padH() + ir * sp.dilationH();
                if (ih < 0 || ih >= g.h()) {
                    continue;
                }
                int dxRow = dxOff + ih * g.w();
                for (int is = 0; is < g.s(); is++) {
                    float tap = w[wOff + ir * g.s() + is];
                    int off = is * sp.dilationW() - sp.padW();
                    int q0 = g.qBegin(off), q1 = g.qEnd(off);
                    if (stride == 1) {
                        int base = dxRow + off;
                        for (int iq = q0; iq < q1; iq++) {
                            dx[base + iq] += dy[dyRow + iq] * tap;
                        }
                    } else {
                        for (int iq = q0; iq < q1; iq++) {
                            dx[dxRow + iq * stride + off] += dy[dyRow + iq] * tap;
                        }
                    }
                }
            }
        }
    }

    /**
     * dw[c, r, s] = sum over images, output rows and columns of dy * x, in parallel over channels (each owns its
     * filter); the products are added in (image, row, column) order, as the reference loop does.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec) {
        Plane g = Plane.of(xd, wd, yd, spec);
        int n = xd[0], channels = xd[1];
        CpuThreads.parallelFor(channels, n * g.flops(), (from, to) -> {
            for (int c = from; c < to; c++) {
                int wOff = c * g.r() * g.s();
                Arrays.fill(dw, wOff, wOff + g.r() * g.s(), 0f);
                for (int in = 0; in < n; in++) {
                    int plane = in * channels + c;
                    backwardFilterPlane(x, plane * g.h() * g.w(), dy, plane * g.p() * g.q(), dw, wOff, g);
                }
            }
        });
    }

    private static void backwardFilterPlane(float[] x, int xOff, float[] dy, int dyOff, float[] dw, int wOff,
                                            Plane g) {
        ConvSpec sp = g.spec();
        int stride = sp.strideW();
        for (int ip = 0; ip < g.p(); ip++) {
            int dyRow = dyOff + ip * g.q();
            for (int ir = 0; ir < g.r(); ir++) {
                int ih = ip * sp.strideH() - sp.padH() + ir * sp.dilationH();
                if (ih < 0 || ih >= g.h()) {
                    continue;
                }
                int xRow = xOff + ih * g.w();
                for (int is = 0; is < g.s(); is++) {
                    int off = is * sp.dilationW() - sp.padW();
                    int q0 = g.qBegin(off), q1 = g.qEnd(off);
                    float acc = dw[wOff + ir * g.s() + is];
                    for (int iq = q0; iq < q1; iq++) {
                        acc += dy[dyRow + iq] * x[xRow + iq * stride + off];
                    }
                    dw[wOff + ir * g.s() + is] = acc;
                }
            }
        }
    }
}
