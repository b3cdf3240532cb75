package org.cnn4j.cpu;

import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.CounterRng;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;

/**
 * Elementwise kernels: broadcasting binary ops, unary and scalar ops, dropout and axis copies. Reductions live
 * in {@link CpuReduce}. Each op is switched on once per contiguous run, never per element.
 */
final class CpuElementwise {
    private CpuElementwise() {
    }

    static void copyAlongAxis(float[] src, int[] srcDims, int srcStart, float[] dst, int[] dstDims, int dstStart,
                              int axis, int length) {
        int outer = (int) product(srcDims, 0, axis);
        int inner = (int) product(srcDims, axis + 1, srcDims.length);
        int srcAxis = srcDims[axis];
        int dstAxis = dstDims[axis];
        int run = length * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * srcAxis + srcStart) * inner, dst, (o * dstAxis + dstStart) * inner, run);
        }
    }

    /**
     * {@code out = a op b}, a and b broadcast (right-aligned) to out's shape. Adjacent axes that broadcast the
     * same way are merged first, so equal shapes become one flat loop and a per-channel vector becomes
     * [outer, C, inner] with a constant b over each inner run.
     */
    static void binary(BinaryOp op, float[] a, int[] aDims, float[] b, int[] bDims, float[] out, int[] outDims) {
        Broadcast plan = Broadcast.of(outDims, aDims, bDims);
        int rank = plan.dims.length;
        int n = out.length;
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            binaryRun(op, a, 0, 0, b, 0, 0, out, 0, n);
            return;
        }
        int last = plan.dims[rank - 1];
        int sa = plan.aStrides[rank - 1];
        int sb = plan.bStrides[rank - 1];
        if (rank == 1) {
            CpuThreads.parallelFor(n, 1, (from, to) -> binaryRun(op, a, from * sa, sa, b, from * sb, sb, out, from,
                    to - from));
            return;
        }
        int rows = n / last;
        CpuThreads.parallelFor(rows, last, (from, to) -> {
            for (int row = from; row < to; row++) {
                int ai = 0;
                int bi = 0;
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    int idx = rest % plan.dims[d];
                    rest /= plan.dims[d];
                    ai += idx * plan.aStrides[d];
                    bi += idx * plan.bStrides[d];
                }
                binaryRun(op, a, ai, sa, b, bi, sb, out, row * last, last);
            }
        });
    }

    /** One run of {@code out = a op b} with element strides sa, sb (0 = broadcast, 1 = contiguous). */
    private static void binaryRun(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out,
                                  int oi, int n) {
        if (sa == 1 && sb == 1) {
            contiguousRun(op, a, ai, b, bi, out, oi, n);
        } else if (sa == 1 && sb == 0) {
            scalarRightRun(op, a, ai, b[bi], out, oi, n);
        } else {
            stridedRun(op, a, ai, sa, b, bi, sb, out, oi, n);
        }
    }

    /** Unit-stride loops, which C2 auto-vectorises (the strided form below it does not). */
    private static void contiguousRun(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] out, int oi, int n) {
        switch (op) {
            case ADD -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] + b[bi + k];
                }
            }
            case SUB -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] - b[bi + k];
                }
            }
            case MUL -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] * b[bi + k];
                }
            }
            case DIV -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] / b[bi + k];
                }
            }
        }
    }

    private static void scalarRightRun(BinaryOp op, float[] a, int ai, float bv, float[] out, int oi, int n) {
        switch (op) {
            case ADD -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] + bv;
                }
            }
            case SUB -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] - bv;
                }
            }
            case MUL -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] * bv;
                }
            }
            case DIV -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k] / bv;
                }
            }
        }
    }

    private static void stridedRun(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out,
                                   int oi, int n) {
        switch (op) {
            case ADD -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k * sa] + b[bi + k * sb];
                }
            }
            case SUB -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k * sa] - b[bi + k * sb];
                }
            }
            case MUL -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k * sa] * b[bi + k * sb];
                }
            }
            case DIV -> {
                for (int k = 0; k < n; k++) {
                    out[oi + k] = a[ai + k * sa] / b[bi + k * sb];
                }
            }
        }
    }

    static void unary(UnaryOp op, float[] x, float[] out) {
        CpuThreads.parallelFor(out.length, 4, (from, to) -> {
            switch (op) {
                case NEG -> {
                    for (int i = from; i < to; i++) {
                        out[i] = -x[i];
                    }
                }
                case EXP -> {
                    for (int i = from; i < to; i++) {
                        out[i] = (float) Math.exp(x[i]);
                    }
                }
                case LOG -> {
                    for (int i = from; i < to; i++) {
                        out[i] = (float) Math.log(x[i]);
                    }
                }
                case SQRT -> {
                    for (int i = from; i < to; i++) {
                        out[i] = (float) Math.sqrt(x[i]);
                    }
                }
                case SQUARE -> {
                    for (int i = from; i < to; i++) {
                        out[i] = x[i] * x[i];
                    }
                }
                case ABS -> {
                    for (int i = from; i < to; i++) {
                        out[i] = Math.abs(x[i]);
                    }
                }
                case SIGN -> {
                    for (int i = from; i < to; i++) {
                        out[i] = Math.signum(x[i]);
                    }
                }
            }
        });
    }

    static void scalar(ScalarOp op, float[] x, float s, float[] out) {
        CpuThreads.parallelFor(out.length, 4, (from, to) -> {
            switch (op) {
                case ADD -> {
                    for (int i = from; i < to; i++) {
                        out[i] = x[i] + s;
                    }
                }
                case MUL -> {
                    for (int i = from; i < to; i++) {
                        out[i] = x[i] * s;
                    }
                }
                case POW -> {
                    for (int i = from; i < to; i++) {
                        out[i] = (float) Math.pow(x[i], s);
                    }
                }
                case RSUB -> {
                    for (int i = from; i < to; i++) {
                        out[i] = s - x[i];
                    }
                }
                case RDIV -> {
                    for (int i = from; i < to; i++) {
                        out[i] = s / x[i];
                    }
                }
            }
        });
    }

    /** Inverted dropout with the backend-independent counter-based generator (see Backend.dropoutForward). */
    static void dropout(float[] x, float p, long seed, float[] mask, float[] y) {
        float keepScale = 1f / (1f - p);
        CpuThreads.parallelFor(x.length, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                float m = CounterRng.uniform(seed, i) >= p ? keepScale : 0f;
                mask[i] = m;
                y[i] = x[i] * m;
            }
        });
    }

    static long product(int[] dims, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= dims[i];
        }
        return n;
    }
}
