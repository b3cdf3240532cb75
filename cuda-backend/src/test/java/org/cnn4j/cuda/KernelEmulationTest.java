package org.cnn4j.cuda;

import static org.cnn4j.cuda.EmulatedParity.EXACT;
import static org.cnn4j.cuda.EmulatedParity.U;
import static org.cnn4j.cuda.EmulatedParity.numel;
import static org.cnn4j.cuda.EmulatedParity.ulps;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kernels.cu's elementwise, reduction, copy and dropout kernels run on the host (see KernelEmulator), launched
 * as CudaBackend launches them, against the CPU backend: the parity test's shapes plus edge cases (empty,
 * one element, sizes that are not a multiple of the block, reductions over many blocks). Operations that do
 * the same float arithmetic in the same order must match bit for bit; libm functions within an ulp (host
 * libm and java.lang.Math are both within half an ulp or so of the exact result); sums within their error
 * bound. This checks indexing, op codes, barriers and launch geometry, not the GPU's own rounding.
 */
class KernelEmulationTest {
    private static final int[] SIZES = {0, 1, 255, 256, 257, 1000};
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, Float.MIN_VALUE, -3.5f, 2.25f};

    private final EmulatedParity parity = new EmulatedParity();

    @AfterEach
    void runTheQueuedLaunches() {
        parity.verify();
    }

    @Test
    void theEmulatorLaunchesEveryKernel() {
        String[] expected = Arrays.stream(Kernel.values()).map(k -> k.entry).sorted().toArray(String[]::new);
        assertEquals(Arrays.asList(expected), KernelEmulator.get().kernelNames().stream().sorted().toList());
    }

    /** Random normal values with the special ones (signed zeros, infinities, NaN, a denormal) mixed in. */
    private float[] mixed(int n) {
        float[] v = parity.randn(n, 2);
        for (int i = 0; i < n; i += 3) {
            v[i] = SPECIAL[parity.random.nextInt(SPECIAL.length)];
        }
        return v;
    }

    /** As CudaBackend.binary. */
    private static void binary(KernelEmulator.Job j, BinaryOp op, KernelEmulator.Buffer[] b, int[]... dims) {
        long n = numel(dims[2]);
        if (Arrays.equals(dims[0], dims[2]) && Arrays.equals(dims[1], dims[2])) {
            j.launch(Kernel.BINARY_SAME, n, OpCodes.of(op), b[0], b[1], b[2], n);
        } else {
            j.launch(Kernel.BINARY_BCAST, n, OpCodes.of(op), b[0], b[1], b[2], n,
                    Geometry.binary(op.name(), dims[0], dims[1], dims[2]));
        }
    }

    @Test
    void binaryOpsSameShapeAndBroadcast() {
        int[][][] cases = {{{4, 5}, {4, 5}, {4, 5}}, {{2, 1, 4}, {3, 1}, {2, 3, 4}}, {{}, {7}, {7}}, {{1}, {1}, {1}},
            {{3, 1, 1, 5}, {1, 2, 7, 1}, {3, 2, 7, 5}}, {{0, 3}, {1, 3}, {0, 3}}};
        for (int n : SIZES) {
            cases = Arrays.copyOf(cases, cases.length + 1);
            cases[cases.length - 1] = new int[][] {{n}, {n}, {n}};
        }
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] dims : cases) {
                float[][] data = {mixed(numel(dims[0])), mixed(numel(dims[1])), mixed(numel(dims[2]))};
                parity.check("binary " + op + " " + Arrays.deepToString(dims), dims, data,
                        (c, t) -> c.binary(op, t[0], t[1], t[2]), (j, b) -> binary(j, op, b, dims), EXACT);
            }
        }
    }

    @Test
    void unaryAndScalarOps() {
        for (int n : SIZES) {
            int[][] shapes = {{n}, {n}};
            for (UnaryOp op : UnaryOp.values()) {
                boolean libm = op == UnaryOp.EXP || op == UnaryOp.LOG;
                float[][] data = {mixed(n), mixed(n)};
                parity.check("unary " + op + " n=" + n, shapes, data, (c, t) -> c.unary(op, t[0], t[1]),
                        (j, b) -> j.launch(Kernel.UNARY_OP, n, OpCodes.of(op), b[0], b[1], (long) n),
                        libm ? ulps(1) : EXACT);
            }
            for (ScalarOp op : ScalarOp.values()) {
                for (float s : new float[] {1.7f, -0.5f, 0f, 2f}) {
                    float[][] data = {mixed(n), mixed(n)};
                    parity.check("scalar " + op + " " + s + " n=" + n, shapes, data,
                            (c, t) -> c.scalar(op, t[0], s, t[1]),
                            (j, b) -> j.launch(Kernel.SCALAR_OP, n, OpCodes.of(op), b[0], s, b[1], (long) n),
                            op == ScalarOp.POW ? ulps(1) : EXACT);
                }
            }
        }
    }

    /**
     * Every sum of a pass is a thread's sequential sum of up to CHUNK/BLOCK terms followed by the block's
     * 8-level tree, so one output goes through at most L additions in all passes and differs from the exact
     * sum by at most L * u * sum|x| (first order); the CPU's double sum rounded to float adds u * |sum|.
     */
    private static int additionChain(int[] src, int[] dst) {
        int chain = 0;
        long reduced = (long) numel(src) / Math.max(1, numel(dst));
        for (ReducePlan.Pass p : ReducePlan.passes(src, dst)) {
            chain += (int) ((Math.min(reduced, ReducePlan.CHUNK) + CudaKernels.BLOCK - 1) / CudaKernels.BLOCK)
                    + Integer.numberOfTrailingZeros(CudaKernels.BLOCK);
            reduced = p.splits();
        }
        return chain;
    }

    private void checkReduce(int[] src, int[] dst) {
        float[] x = parity.randn(numel(src), 1);
        float[] abs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            abs[i] = Math.abs(x[i]);
        }
        float[] absSum;
        try (MemoryScope s = MemoryScope.open()) {
            Tensor out = Tensor.zeros(parity.cpu(), Shape.of(dst));
            parity.cpu().reduceSumTo(Tensor.of(parity.cpu(), abs, Shape.of(src)), out);
            absSum = out.toFloatArray();
        }
        int chain = additionChain(src, dst) + 1;
        parity.check("reduceSumTo " + Arrays.toString(src) + " -> " + Arrays.toString(dst), new int[][] {src, dst},
                new float[][] {x, parity.randn(numel(dst), 1)}, (c, t) -> c.reduceSumTo(t[0], t[1]),
                (j, b) -> ReducePlan.run(j, b[0], src, b[1], dst), (t, i, cpu) -> t == 0 ? 0 : chain * U * absSum[i]);
    }

    @Test
    void reduceSumToParityShapesAndEdgeCases() {
        checkReduce(new int[] {8, 16, 5, 5}, new int[] {16, 1, 1});
        checkReduce(new int[] {300, 7}, new int[] {7});
        checkReduce(new int[] {3, 4, 5}, new int[] {3, 1, 5});
        checkReduce(new int[] {2}, new int[] {1});
        checkReduce(new int[] {0, 3}, new int[] {3});
        checkReduce(new int[] {2, 0}, new int[] {2, 1});
        checkReduce(new int[] {ReducePlan.CHUNK + 1}, new int[] {});
        checkReduce(new int[] {2, 3, 1, 2, 1, 2, 3, 2}, new int[] {1, 3, 1, 2, 1, 1, 3, 1});
    }

    @Test
    void reduceSumToAcrossManyBlocks() {
        assertEquals(64, ReducePlan.passes(new int[] {1 << 18}, new int[] {1}).get(0).splits());
        checkReduce(new int[] {1 << 18}, new int[] {1});
        checkReduce(new int[] {4, 8, 64, 64}, new int[] {8, 1, 1});
        checkReduce(new int[] {3, 5000, 7}, new int[] {3, 1, 7});
    }

    @Test
    void copyAlongAxis() {
        int[][][] cases = {{{2, 3, 4}, {2, 5, 4}, {1, 1, 2, 2}}, {{6}, {9}, {0, 2, 3, 4}}, {{3, 2}, {3, 7}, {1, 0, 5, 2}},
            {{2, 3}, {2, 3}, {1, 0, 0, 0}}};
        for (int[][] c : cases) {
            int[] sd = c[0];
            int axis = c[2][0];
            int srcStart = c[2][1];
            int dstStart = c[2][2];
            int length = c[2][3];
            long outer = Shape.of(sd).size(0, axis);
            long inner = Shape.of(sd).size(axis + 1, sd.length);
            parity.check("copyAlongAxis " + Arrays.deepToString(c), new int[][] {c[0], c[1]},
                    new float[][] {mixed(numel(c[0])), mixed(numel(c[1]))},
                    (cpu, t) -> cpu.copyAlongAxis(t[0], srcStart, t[1], dstStart, axis, length),
                    (j, b) -> j.launch(Kernel.COPY_ALONG_AXIS, outer * length * inner, b[0], b[1], outer, sd[axis],
                            c[1][axis], srcStart, dstStart, length, inner), EXACT);
        }
    }

    @Test
    void dropoutMasksMatchBitForBit() {
        for (int n : SIZES) {
            for (float p : new float[] {0.3f, 0f, 0.9f}) {
                long seed = 0x1234_5678_9ABCL + n;
                parity.check("dropout n=" + n + " p=" + p, new int[][] {{n}, {n}, {n}},
                        new float[][] {mixed(n), mixed(n), mixed(n)}, (c, t) -> c.dropoutForward(t[0], p, seed, t[1], t[2]),
                        (j, b) -> j.launch(Kernel.DROPOUT_FWD, n, b[0], p, 1f / (1f - p), seed, b[1], b[2], (long) n),
                        EXACT);
            }
        }
    }
}
