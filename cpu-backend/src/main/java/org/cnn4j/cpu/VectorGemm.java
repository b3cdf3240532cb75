package org.cnn4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the JDK Vector API (incubator module {@code jdk.incubator.vector}); only loaded when
 * {@link VectorSupport#ENABLED} says the module is there. Same contract as {@link CpuGemm#gemm}. Goto/BLIS
 * structure: for each block of NC columns and KC depth, op(B) is packed once (in parallel) into NR-column panels
 * shared by all threads; then tasks over (MC rows) x (NG columns) pack their op(A) rows (times alpha) into MR-row
 * panels and run a register-blocked micro-kernel that keeps an MR x NR block of C (MR x 4 vectors) in registers
 * while streaming one A panel and one B panel with fma.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register block (4 x 4 vectors measured faster than 6 x 2 on Zen with 512-bit vectors). */
    static final int MR = 4;
    /** Columns of the register block: four vectors. */
    static final int NR = 4 * L;
    /** Rows of C per task (a multiple of MR); the task's packed A block (MC x KC) stays in L2. */
    static final int MC = 24 * MR;
    /** Depth of one packed block; one B panel (KC x NR, 32 KB with 512-bit vectors) stays in L1. */
    static final int KC = 128;
    /** Columns of C per task (a multiple of NR). */
    static final int NG = 4 * NR;
    /** Columns of one shared packed B block (a multiple of NG). */
    static final int NC = 4 * NG;

    /** Per-thread buffers, allocated once per thread: A block and edge block for workers, B block for callers. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[] edge = new float[MR * NR];
        private float[] packedB;

        /** The caller's shared B block, allocated on first use (worker threads never need one). */
        float[] packedB() {
            if (packedB == null) {
                packedB = new float[KC * NC];
            }
            return packedB;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorGemm() {
    }

    /** The vector width in bits, for diagnostics. */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (alpha == 0f || k <= 0) {
            CpuThreads.parallelFor(m, n, (from, to) -> scaleC(c, cOff + from * ldc, ldc, to - from, n, beta));
            return;
        }
        run(m, n, k, transA, a, aOff, lda, alpha, null, 0, transB, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The Goto loop nest. A comes either as op(A) (transA, a, aOff, lda, alpha; each task packs its rows) or, when
     * {@code pa} is not null, already packed by {@link #packWholeA} at {@code paOff}. Either way every element of
     * C is summed over the same KC-deep blocks in the same order by the same kernel, so the bits do not depend on
     * how the tiles are spread over threads.
     */
    private static void run(int m, int n, int k, boolean transA, float[] a, int aOff, int lda, float alpha,
                            float[] pa, int paOff, boolean transB, float[] b, int bOff, int ldb, float beta,
                            float[] c, int cOff, int ldc) {
        float[] pb = WORKSPACE.get().packedB();
        int tilesM = (m + MC - 1) / MC, rows = paddedRows(m);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            int groups = (nc + NG - 1) / NG;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int p0 = pc, j0 = jc;
                CpuThreads.parallelFor(panels, 4L * kc * NR, (from, to) -> VectorPack.packB(transB, b, bOff, ldb,
                        p0, kc, j0 + from * NR, Math.min(nc, to * NR) - from * NR, pb, from * NR * kc, NR));
                boolean first = pc == 0;
                long cost = 2L * Math.min(m, MC) * Math.min(nc, NG) * kc;
                CpuThreads.parallelFor(tilesM * groups, cost, (from, to) -> {
                    Workspace ws = WORKSPACE.get();
                    int packedRow = -1;
                    for (int t = from; t < to; t++) {
                        int i0 = (t / groups) * MC, g0 = (t % groups) * NG;
                        int mc = Math.min(MC, m - i0), ng = Math.min(NG, nc - g0);
                        float[] blockA = pa;
                        int aBase = paOff + p0 * rows + i0 * kc;
                        if (pa == null) {
                            if (i0 != packedRow) {
                                VectorPack.packA(transA, a, aOff, lda, alpha, i0, mc, p0, kc, ws.packedA, 0, MR);
                                packedRow = i0;
                            }
                            blockA = ws.packedA;
                            aBase = 0;
                        }
                        int cBlock = cOff + i0 * ldc + j0 + g0;
                        boolean store = first && beta == 0f;
                        if (first && !store) {
                            scaleC(c, cBlock, ldc, mc, ng, beta);
                        }
                        block(blockA, aBase, ws.edge, kc, pb, g0 * kc, c, cBlock, ldc, mc, ng, store);
                    }
                });
            }
        }
    }

    /** m rounded up to whole MR-row panels. */
    private static int paddedRows(int m) {
        return (m + MR - 1) / MR * MR;
    }

    /** Floats that {@link #packWholeA} writes for an m x k op(A). */
    static int packedASize(int m, int k) {
        return paddedRows(m) * k;
    }

    /** Where {@link #packWholeA} puts A[i, p] of an m x k matrix (alpha 1), relative to its offset. */
    static int packedAIndex(int i, int p, int m, int k) {
        int pc = p / KC * KC, kc = Math.min(KC, k - pc);
        return pc * paddedRows(m) + (i / MR) * MR * kc + (p - pc) * MR + i % MR;
    }

    /**
     * Packs all of alpha * op(A) (m x k) for {@link #gemmPackedA}: the KC-deep blocks one after another, each
     * holding every row in MR-row panels (the layout the per-task packing produces for one block).
     */
    static void packWholeA(boolean transA, float[] a, int aOff, int lda, float alpha, int m, int k, float[] pa,
                           int paOff) {
        int rows = paddedRows(m);
        for (int pc = 0; pc < k; pc += KC) {
            VectorPack.packA(transA, a, aOff, lda, alpha, 0, m, pc, Math.min(KC, k - pc), pa, paOff + pc * rows, MR);
        }
    }

    /**
     * C = A * op(B) + beta * C with A already packed by {@link #packWholeA}: for many GEMMs that share their A
     * matrix (a convolution's filters over its images, the Winograd points), which then pack A once. Runs in
     * parallel like {@link #gemm} (inline when called from a worker thread).
     */
    static void gemmPackedA(int m, int n, int k, float[] pa, int paOff, boolean transB, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scaleC(c, cOff, ldc, m, n, beta);
            return;
        }
        run(m, n, k, false, null, 0, 0, 1f, pa, paOff, transB, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** C[mc x ng at cBlock] (+)= the packed A block at aBase times the packed B panels starting at bOff. */
    private static void block(float[] pa, int aBase, float[] edge, int kc, float[] pb, int bOff, float[] c, int cBlock,
                              int ldc, int mc, int ng, boolean store) {
        for (int jr = 0; jr < ng; jr += NR) {
            int nr = Math.min(NR, ng - jr);
            int bPanel = bOff + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cb = cBlock + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    kernel(kc, pa, aBase + ir * kc, pb, bPanel, c, cb, ldc, store);
                } else {
                    if (nr <= L) { // a narrow last panel: only the vectors that hold its columns
                        kernel1(kc, pa, aBase + ir * kc, pb, bPanel, edge);
                    } else if (nr <= 2 * L) {
                        kernel2(kc, pa, aBase + ir * kc, pb, bPanel, edge);
                    } else {
                        kernel(kc, pa, aBase + ir * kc, pb, bPanel, edge, 0, NR, true);
                    }
                    for (int i = 0; i < mr; i++) {
                        int row = cb + i * ldc;
                        for (int j = 0; j < nr; j++) {
                            c[row + j] = store ? edge[i * NR + j] : c[row + j] + edge[i * NR + j];
                        }
                    }
                }
            }
        }
    }

    /** C tile = beta * C tile; beta == 0 overwrites (ignoring NaN/Inf in C, as BLAS does). */
    private static void scaleC(float[] c, int off, int ldc, int mc, int nc, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < mc; i++) {
            int row = off + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + nc, 0f);
            } else {
                for (int j = 0; j < nc; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /**
     * C[MR x NR block at cOff, row stride ldc] (+)= A panel (kc x MR, interleaved) times B panel (kc x NR). The 16
     * accumulators live in registers for the whole depth loop. Everything is written out in this one method on
     * purpose: a vector passed to a method C2 does not inline loses its exact type, and the Vector API then falls
     * back to allocating Java code. {@code store} overwrites C instead of adding to it.
     */
    private static void kernel(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int cOff, int ldc,
                               boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * MR, bp = bi + p * NR; // linear in p, so C2 can hoist the range checks
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, pb, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, pb, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(S, pa[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
        }
        if (store) {
            int r = cOff;
            c00.intoArray(c, r);
            c01.intoArray(c, r + L);
            c02.intoArray(c, r + 2 * L);
            c03.intoArray(c, r + 3 * L);
            r += ldc;
            c10.intoArray(c, r);
            c11.intoArray(c, r + L);
            c12.intoArray(c, r + 2 * L);
            c13.intoArray(c, r + 3 * L);
            r += ldc;
            c20.intoArray(c, r);
            c21.intoArray(c, r + L);
            c22.intoArray(c, r + 2 * L);
            c23.intoArray(c, r + 3 * L);
            r += ldc;
            c30.intoArray(c, r);
            c31.intoArray(c, r + L);
            c32.intoArray(c, r + 2 * L);
            c33.intoArray(c, r + 3 * L);
            return;
        }
        int r = cOff;
        c00.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        c01.add(FloatVector.fromArray(S, c, r + L)).intoArray(c, r + L);
        c02.add(FloatVector.fromArray(S, c, r + 2 * L)).intoArray(c, r + 2 * L);
        c03.add(FloatVector.fromArray(S, c, r + 3 * L)).intoArray(c, r + 3 * L);
        r += ldc;
        c10.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        c11.add(FloatVector.fromArray(S, c, r + L)).intoArray(c, r + L);
        c12.add(FloatVector.fromArray(S, c, r + 2 * L)).intoArray(c, r + 2 * L);
        c13.add(FloatVector.fromArray(S, c, r + 3 * L)).intoArray(c, r + 3 * L);
        r += ldc;
        c20.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        c21.add(FloatVector.fromArray(S, c, r + L)).intoArray(c, r + L);
        c22.add(FloatVector.fromArray(S, c, r + 2 * L)).intoArray(c, r + 2 * L);
        c23.add(FloatVector.fromArray(S, c, r + 3 * L)).intoArray(c, r + 3 * L);
        r += ldc;
        c30.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        c31.add(FloatVector.fromArray(S, c, r + L)).intoArray(c, r + L);
        c32.add(FloatVector.fromArray(S, c, r + 2 * L)).intoArray(c, r + 2 * L);
        c33.add(FloatVector.fromArray(S, c, r + 3 * L)).intoArray(c, r + 3 * L);
    }

    /** {@link #kernel}'s first column vector only, stored into the edge block (row stride NR); the same sums. */
    private static void kernel1(int kc, float[] pa, int ai, float[] pb, int bi, float[] edge) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi + p * NR);
            c0 = FloatVector.broadcast(S, pa[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, pa[ap + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, pa[ap + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, pa[ap + 3]).fma(b0, c3);
        }
        c0.intoArray(edge, 0);
        c1.intoArray(edge, NR);
        c2.intoArray(edge, 2 * NR);
        c3.intoArray(edge, 3 * NR);
    }

    /** {@link #kernel}'s first two column vectors, stored into the edge block (row stride NR); the same sums. */
    private static void kernel2(int kc, float[] pa, int ai, float[] pb, int bi, float[] edge) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * MR, bp = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector av = FloatVector.broadcast(S, pa[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
    }
}
