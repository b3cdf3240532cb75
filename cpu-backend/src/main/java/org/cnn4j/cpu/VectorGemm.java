package org.cnn4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the JDK Vector API (incubator module {@code jdk.incubator.vector}); only loaded when
 * {@link VectorSupport#ENABLED} says the module is there. Same contract as {@link CpuGemm#gemm}. Goto/BLIS
 * structure: C is split into MC x NC tiles that run in parallel; per depth block of KC, a tile packs op(A)
 * (times alpha) into MR-row panels and op(B) into NR-column panels, and a register-blocked micro-kernel keeps an
 * MR x NR block of C (MR x 4 vectors) in registers while streaming one A panel and one B panel with fma.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register block (4 x 4 vectors measured faster than 6 x 2 on Zen with 512-bit vectors). */
    static final int MR = 4;
    /** Columns of the register block: four vectors. */
    static final int NR = 4 * L;
    /** Rows of C per tile (a multiple of MR); the packed A block (MC x KC) stays in L2. */
    static final int MC = 24 * MR;
    /** Depth of one packed block; one B panel (KC x NR) stays in L1. */
    static final int KC = 256;
    /** Columns of C per tile (a multiple of NR). */
    static final int NC = 8 * NR;

    /** Per-thread packing buffers and the edge block, allocated once per thread. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[] packedB = new float[KC * NC];
        final float[] edge = new float[MR * NR];
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
        int tilesM = (m + MC - 1) / MC;
        int tilesN = (n + NC - 1) / NC;
        long costPerTile = 2L * Math.min(m, MC) * Math.min(n, NC) * Math.max(k, 1);
        CpuThreads.parallelFor(tilesM * tilesN, costPerTile, (from, to) -> {
            Workspace ws = WORKSPACE.get();
            for (int t = from; t < to; t++) {
                int i0 = (t / tilesN) * MC, j0 = (t % tilesN) * NC;
                tile(ws, transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0,
                        Math.min(MC, m - i0), j0, Math.min(NC, n - j0));
            }
        });
    }

    private static void tile(Workspace ws, boolean transA, boolean transB, int k, float alpha, float[] a, int aOff,
                             int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                             int i0, int mc, int j0, int nc) {
        int tileOff = cOff + i0 * ldc + j0;
        boolean overwrite = beta == 0f && alpha != 0f && k > 0; // the first depth block stores instead of adding
        if (!overwrite) {
            scaleC(c, tileOff, ldc, mc, nc, beta);
        }
        if (alpha == 0f) {
            return;
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            boolean store = overwrite && p0 == 0;
            VectorPack.packA(transA, a, aOff, lda, alpha, i0, mc, p0, kc, ws.packedA, MR);
            VectorPack.packB(transB, b, bOff, ldb, p0, kc, j0, nc, ws.packedB, NR);
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int bPanel = jr * kc;
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    int aPanel = ir * kc;
                    int cBlock = tileOff + ir * ldc + jr;
                    if (mr == MR && nr == NR) {
                        kernel(kc, ws.packedA, aPanel, ws.packedB, bPanel, c, cBlock, ldc, store);
                    } else {
                        float[] edge = ws.edge;
                        kernel(kc, ws.packedA, aPanel, ws.packedB, bPanel, edge, 0, NR, true);
                        for (int i = 0; i < mr; i++) {
                            int row = cBlock + i * ldc;
                            for (int j = 0; j < nr; j++) {
                                c[row + j] = store ? edge[i * NR + j] : c[row + j] + edge[i * NR + j];
                            }
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
}
