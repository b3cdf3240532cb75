package org.cnn4j.cpu;

import static org.cnn4j.cpu.WinogradTransforms.POINTS;
import static org.cnn4j.cpu.WinogradTransforms.TILE;

import org.cnn4j.backend.ConvSpec;

/**
 * 3x3, stride-1 convolution by Winograd F(4x4, 3x3) ({@link WinogradTransforms}): 4x fewer multiplications than
 * the direct method. The output is cut into 4x4 tiles (across all images); a chunk of tiles at a time, every
 * input channel's 6x6 patches are transformed into V[36][C][tiles], the 36 points are multiplied by the
 * transformed filters U[36][K][C] in 36 independent GEMMs, and M[36][K][tiles] is transformed back. Chunks are
 * sized so that V and M stay within a per-thread budget, and run in parallel.
 * Backward data is the same convolution of dy with the rotated, channel-transposed filters; backward filter
 * sums {@code (A dY A^T)[e] * V[e]^T} over tiles and maps the 6x6 sums back with G^T . G.
 */
final class Winograd {
    /** {@code -Dcnn4j.cpu.winograd=false} routes every convolution through im2col + GEMM (for comparisons). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("cnn4j.cpu.winograd", "true"));
    /** Below this many input or output channels the transforms cost more than the multiplications they save. */
    static final int MIN_CHANNELS = 16;
    /** Floats per thread for each of the transformed-input and product buffers (4 MB). */
    static final int SCRATCH_BUDGET = 1 << 20;

    private static final CpuScratch FILTERS = new CpuScratch();
    private static final CpuScratch INPUTS = new CpuScratch();
    private static final CpuScratch PRODUCTS = new CpuScratch();
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per-thread rows for the batched tile transforms (one row of tiles per tile element), grown on demand. */
    private static final class Workspace {
        float[][] a = new float[0][];
        float[][] b = new float[0][];
        float[][] c = new float[0][];
        int[] origin = new int[0];
        int capacity = -1;
        /** Scratch for one filter transform, and a block of transformed filters ([36][FILTER_BLOCK]). */
        final float[] filterTmp = new float[18];
        final float[] filterBlock = new float[POINTS * FILTER_BLOCK];

        Workspace ensure(int count) {
            if (count > capacity) {
                a = new float[POINTS][count];
                b = new float[POINTS][count];
                c = new float[POINTS][count];
                origin = new int[count];
                capacity = count;
            }
            return this;
        }
    }

    private Winograd() {
    }

    /** True for the convolutions this class handles: 3x3, stride 1, dilation 1, one group, enough channels. */
    static boolean appliesForward(int[] xd, int[] wd, ConvSpec spec) {
        return ENABLED && wd[2] == 3 && wd[3] == 3 && spec.strideH() == 1 && spec.strideW() == 1
                && spec.dilationH() == 1 && spec.dilationW() == 1 && spec.groups() == 1
                && xd[1] >= MIN_CHANNELS && wd[0] >= MIN_CHANNELS;
    }

    /**
     * Below this many output pixels (n * p * q of the forward convolution) im2col + GEMM is faster: Winograd
     * transforms every filter on every call (cost ~ k * c) and saves multiplications in proportion to
     * k * c * pixels, and its GEMMs' columns (tiles per chunk) get too few to fill the vector kernel. Measured
     * with 2 threads on Zen 4 (512-bit): 7x7 C512 at batch 8 (392 pixels) ran 3x faster by im2col, batch 16
     * 1.4x; 14x14 C256 at batch 8 (1568) about even; 14x14 and 28x28 at batch 32 well ahead with Winograd.
     */
    static final int MIN_PIXELS = 2048;

    /** True when the forward output has enough pixels for Winograd to beat im2col (see {@link #MIN_PIXELS}). */
    static boolean paysOff(int[] yd) {
        return (long) yd[0] * yd[2] * yd[3] >= MIN_PIXELS;
    }

    /** Backward data also needs padding <= 2, so the equivalent forward convolution has padding >= 0. */
    static boolean appliesBackwardData(int[] xd, int[] wd, ConvSpec spec) {
        return appliesForward(xd, wd, spec) && spec.padH() <= 2 && spec.padW() <= 2;
    }

    /**
     * The tile grid of one convolution and its split into chunks of at most the budget. A convolution runs its
     * chunks in parallel, so it asks for a number of chunks that divides evenly over the threads
     * ({@code shares}); that changes which GEMM computes a tile's outputs, never how (a GEMM computes each column
     * alone), so the results do not depend on it. The filter gradient sums over chunks and asks for no shares.
     */
    private record Grid(int n, int cin, int h, int w, int cout, int p, int q, int padH, int padW, int tilesW,
                        int tilesPerImage, int tiles, int chunk, int chunks) {
        static Grid of(int[] in, int[] out, int padH, int padW, int budget, int shares) {
            int tilesH = (out[2] + TILE - 1) / TILE, tilesW = (out[3] + TILE - 1) / TILE;
            int tiles = in[0] * tilesH * tilesW;
            int maxChunk = Math.max(1, budget / (POINTS * Math.max(in[1], out[1])));
            int chunks = (tiles + maxChunk - 1) / maxChunk;
            if (chunks % shares != 0 && tiles >= shares * (chunks / shares + 1)) {
                chunks = (chunks / shares + 1) * shares;
            }
            int chunk = (tiles + chunks - 1) / chunks;
            chunks = (tiles + chunk - 1) / chunk;
            return new Grid(in[0], in[1], in[2], in[3], out[1], out[2], out[3], padH, padW, tilesW,
                    tilesH * tilesW, tiles, chunk, chunks);
        }

        long flopsPerChunk() {
            return 2L * POINTS * cin * cout * chunk;
        }
    }

    static void forward(float[] x, int[] xd, float[] w, int[] wd, float[] y, int[] yd, ConvSpec spec, int budget) {
        int k = wd[0], c = wd[1];
        float[] u = FILTERS.get(POINTS * filterSize(k, c));
        transformFilters(w, u, false, k, c);
        convolve(x, xd, u, y, yd, Grid.of(xd, yd, spec.padH(), spec.padW(), budget, CpuThreads.parallelism()));
    }

    /** Filters transformed per block of destination indices, so that the 36 output rows are written contiguously. */
    private static final int FILTER_BLOCK = 64;

    /**
     * Floats per point of the transformed filters as the GEMM reads them, a rows x cols matrix: packed for
     * {@link VectorGemm#gemmPackedA} on the vector path (so the 36 filter matrices are packed once per call, not
     * by every chunk's GEMM), plain row-major otherwise.
     */
    private static int filterSize(int rows, int cols) {
        return CpuGemm.preparedASize(rows, cols);
    }

    /**
     * u[e] = the 36 transformed-filter matrices, each rows x cols = k x c (forward: entry (k_j, c_j) is the
     * transform of filter (k_j, c_j)) or, rotated by 180 degrees for the backward-data pass, c x k; laid out as
     * {@link #filterSize} says. The transform of one filter touches 36 matrices; a block of consecutive entries
     * fills a [36][block] buffer first and then writes each matrix's run, instead of scattering single floats
     * across megabytes.
     */
    private static void transformFilters(float[] w, float[] u, boolean rotated, int k, int c) {
        int kc = k * c, rows = rotated ? c : k, cols = rotated ? k : c, size = filterSize(rows, cols);
        boolean packed = VectorSupport.ENABLED;
        if (packed && size != kc) {
            java.util.Arrays.fill(u, 0, POINTS * size, 0f); // the padding rows of the last panel
        }
        int blocks = (kc + FILTER_BLOCK - 1) / FILTER_BLOCK;
        CpuThreads.parallelFor(blocks, 600L * FILTER_BLOCK, (from, to) -> {
            Workspace ws = WORKSPACE.get();
            float[] tmp = ws.filterTmp, block = ws.filterBlock;
            for (int b = from; b < to; b++) {
                int j0 = b * FILTER_BLOCK, n = Math.min(FILTER_BLOCK, kc - j0);
                for (int t = 0; t < n; t++) {
                    int j = j0 + t;
                    if (rotated) {
                        int ic = j / k, ik = j - ic * k;
                        WinogradTransforms.filterRotated(w, (ik * c + ic) * 9, tmp, block, t, FILTER_BLOCK);
                    } else {
                        WinogradTransforms.filter(w, j * 9, tmp, block, t, FILTER_BLOCK);
                    }
                }
                for (int e = 0; e < POINTS; e++) {
                    if (!packed) {
                        System.arraycopy(block, e * FILTER_BLOCK, u, e * kc + j0, n);
                        continue;
                    }
                    for (int t = 0; t < n; t++) {
                        int row = (j0 + t) / cols, col = j0 + t - row * cols;
                        u[e * size + VectorGemm.packedAIndex(row, col, rows, cols)] = block[e * FILTER_BLOCK + t];
                    }
                }
            }
        });
    }

    /** dx = dy convolved with w rotated by 180 degrees and with in/out channels swapped, padding 2 - pad. */
    static void backwardData(float[] dy, int[] yd, float[] w, int[] wd, float[] dx, int[] xd, ConvSpec spec,
                             int budget) {
        int k = wd[0], c = wd[1];
        float[] u = FILTERS.get(POINTS * filterSize(c, k));
        transformFilters(w, u, true, k, c);
        convolve(dy, yd, u, dx, xd, Grid.of(yd, xd, 2 - spec.padH(), 2 - spec.padW(), budget,
                CpuThreads.parallelism()));
    }

    /**
     * dw = G^T dU G with dU[e][k][c] = sum over tiles t of (A dY_t A^T)[e][k] * V[e][c][t]. The chunks of tiles
     * are taken in order; within a chunk the input and gradient transforms run in parallel over channels, then
     * the 36 point GEMMs in parallel over points, each adding the chunk into its own dU[e]. So every sum runs in
     * the same order whatever the thread count, with no per-thread copies of dU.
     */
    static void backwardFilter(float[] x, int[] xd, float[] dy, int[] yd, float[] dw, int[] wd, ConvSpec spec,
                               int budget) {
        Grid g = Grid.of(xd, yd, spec.padH(), spec.padW(), budget, 1);
        int pointSize = g.cout * g.cin;
        float[] du = FILTERS.get(POINTS * pointSize);
        float[] v = INPUTS.get(POINTS * g.cin * g.chunk), m = PRODUCTS.get(POINTS * g.cout * g.chunk);
        for (int chunk = 0; chunk < g.chunks; chunk++) {
            int t0 = chunk * g.chunk, count = Math.min(g.tiles, t0 + g.chunk) - t0;
            // channels [0, cin) are input channels, [cin, cin + cout) output-gradient channels
            CpuThreads.parallelFor(g.cin + g.cout, 400L * count, (from, to) -> {
                Workspace ws = WORKSPACE.get().ensure(g.chunk);
                if (from < g.cin) {
                    transformInputs(x, g, t0, count, v, ws, from, Math.min(to, g.cin));
                }
                for (int k = Math.max(from, g.cin) - g.cin; k < to - g.cin; k++) {
                    loadTiles(dy, g, k, t0, count, ws.a);
                    WinogradTransforms.outputGradient(ws.a, ws.b, ws.c, count);
                    for (int e = 0; e < POINTS; e++) {
                        System.arraycopy(ws.c[e], 0, m, (e * g.cout + k) * count, count);
                    }
                }
            });
            float beta = chunk == 0 ? 0f : 1f;
            CpuThreads.parallelFor(POINTS, 2L * pointSize * count, (from, to) -> {
                for (int e = from; e < to; e++) {
                    CpuGemm.gemm(false, true, g.cout, g.cin, count, 1f, m, e * g.cout * count, v, e * g.cin * count,
                            beta, du, e * pointSize);
                }
            });
        }
        CpuThreads.parallelFor(g.cout, 300L * g.cin, (from, to) -> {
            float[] tmp = WORKSPACE.get().filterTmp;
            for (int k = from; k < to; k++) {
                for (int c = 0; c < g.cin; c++) {
                    WinogradTransforms.filterGradient(du, k * g.cin + c, pointSize, tmp, dw, (k * g.cin + c) * 9);
                }
            }
        });
    }

    /** dy[i][t] = the 4x4 tiles of output channel k (tiles t0 ..), zero beyond the output. */
    private static void loadTiles(float[] out, Grid g, int k, int t0, int count, float[][] dy) {
        for (int t = 0; t < count; t++) {
            int tile = t0 + t, n = tile / g.tilesPerImage, rem = tile - n * g.tilesPerImage;
            int p0 = (rem / g.tilesW) * TILE, q0 = (rem % g.tilesW) * TILE;
            int rows = Math.min(TILE, g.p - p0), cols = Math.min(TILE, g.q - q0);
            int base = ((n * g.cout + k) * g.p + p0) * g.q + q0;
            for (int a = 0; a < TILE; a++) {
                for (int b = 0; b < TILE; b++) {
                    dy[a * TILE + b][t] = a < rows && b < cols ? out[base + a * g.q + b] : 0f;
                }
            }
        }
    }

    /** out = in convolved with the transformed filters u[36][cout][cin]. */
    private static void convolve(float[] in, int[] inDims, float[] u, float[] out, int[] outDims, Grid g) {
        CpuThreads.parallelFor(g.chunks, g.flopsPerChunk(), (from, to) -> {
            Workspace ws = WORKSPACE.get().ensure(g.chunk);
            for (int chunk = from; chunk < to; chunk++) {
                int t0 = chunk * g.chunk, count = Math.min(g.tiles, t0 + g.chunk) - t0;
                float[] v = INPUTS.get(POINTS * g.cin * count), m = PRODUCTS.get(POINTS * g.cout * count);
                transformInputs(in, g, t0, count, v, ws, 0, g.cin);
                int uSize = filterSize(g.cout, g.cin);
                for (int e = 0; e < POINTS; e++) {
                    CpuGemm.gemmPrepared(g.cout, count, g.cin, u, e * uSize, false, v, e * g.cin * count, count, 0f,
                            m, e * g.cout * count, count);
                }
                for (int k = 0; k < g.cout; k++) {
                    for (int e = 0; e < POINTS; e++) {
                        System.arraycopy(m, (e * g.cout + k) * count, ws.a[e], 0, count);
                    }
                    WinogradTransforms.output(ws.a, ws.b, ws.c, count);
                    storeTiles(ws.c, out, g, k, t0, count);
                }
            }
        });
    }

    /** v[e][c][t] = (B^T d B)[e] for the input patch d of channel c in [c0, c1) under tile t0 + t. */
    private static void transformInputs(float[] in, Grid g, int t0, int count, float[] v, Workspace ws, int c0,
                                        int c1) {
        for (int t = 0; t < count; t++) { // patch origin relative to the image's first plane, or -1 at an edge
            int tile = t0 + t, n = tile / g.tilesPerImage, rem = tile - n * g.tilesPerImage;
            int h0 = (rem / g.tilesW) * TILE - g.padH, w0 = (rem % g.tilesW) * TILE - g.padW;
            boolean inside = h0 >= 0 && w0 >= 0 && h0 + 6 <= g.h && w0 + 6 <= g.w;
            ws.origin[t] = inside ? n * g.cin * g.h * g.w + h0 * g.w + w0 : -1;
        }
        float[][] d = ws.a;
        for (int c = c0; c < c1; c++) {
            for (int t = 0; t < count; t++) {
                int src = ws.origin[t];
                if (src < 0) {
                    loadEdgePatch(in, g, c, t0 + t, d, t);
                    continue;
                }
                src += c * g.h * g.w;
                for (int a = 0; a < 6; a++, src += g.w) {
                    for (int b = 0; b < 6; b++) {
                        d[a * 6 + b][t] = in[src + b];
                    }
                }
            }
            WinogradTransforms.input(d, ws.b, ws.c, count);
            for (int e = 0; e < POINTS; e++) {
                System.arraycopy(ws.c[e], 0, v, (e * g.cin + c) * count, count);
            }
        }
    }

    /** The 6x6 input patch of channel c under a tile that crosses the image edge, zero outside. */
    private static void loadEdgePatch(float[] in, Grid g, int c, int tileIndex, float[][] d, int t) {
        int n = tileIndex / g.tilesPerImage, rem = tileIndex - n * g.tilesPerImage;
        int h0 = (rem / g.tilesW) * TILE - g.padH, w0 = (rem % g.tilesW) * TILE - g.padW;
        int plane = (n * g.cin + c) * g.h * g.w;
        int bLo = Math.max(0, -w0), bHi = Math.min(6, g.w - w0);
        for (int a = 0; a < 6; a++) {
            int ih = h0 + a, row = plane + ih * g.w + w0;
            boolean rowInside = ih >= 0 && ih < g.h;
            for (int b = 0; b < 6; b++) {
                d[a * 6 + b][t] = rowInside && b >= bLo && b < bHi ? in[row + b] : 0f;
            }
        }
    }

    /** Writes the 4x4 tiles y[i][t] of output channel k (tiles t0 ..) where they lie inside the output. */
    private static void storeTiles(float[][] y, float[] out, Grid g, int k, int t0, int count) {
        for (int t = 0; t < count; t++) {
            int tile = t0 + t, n = tile / g.tilesPerImage, rem = tile - n * g.tilesPerImage;
            int p0 = (rem / g.tilesW) * TILE, q0 = (rem % g.tilesW) * TILE;
            int rows = Math.min(TILE, g.p - p0), cols = Math.min(TILE, g.q - q0);
            int base = ((n * g.cout + k) * g.p + p0) * g.q + q0;
            for (int a = 0; a < rows; a++) {
                for (int b = 0; b < cols; b++) {
                    out[base + a * g.q + b] = y[a * TILE + b][t];
                }
            }
        }
    }
}
