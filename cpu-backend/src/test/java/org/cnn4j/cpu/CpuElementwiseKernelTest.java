package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.CounterRng;
import org.junit.jupiter.api.Test;

/**
 * Broadcasting binary ops (contiguous, scalar-right and strided runs) against a per-element loop that maps every
 * output index to its operands' indices. One float op per element either way, so results must be bit-identical.
 */
class CpuElementwiseKernelTest {
    private static final int[][][] CASES = { // {out dims, a dims, b dims}
        {{2, 3, 5, 7}, {2, 3, 5, 7}, {2, 3, 5, 7}},
        {{2, 3, 5, 7}, {2, 3, 5, 7}, {1, 3, 1, 1}},
        {{2, 3, 5, 7}, {2, 3, 5, 7}, {1}},
        {{2, 3, 5, 7}, {1, 3, 1, 1}, {2, 3, 5, 7}},
        {{2, 3, 5, 7}, {7}, {2, 3, 1, 7}},
        {{4, 9}, {4, 1}, {1, 9}},
        {{300, 257}, {300, 257}, {257}},
        {{3}, {1}, {3}},
        {{70000}, {70000}, {70000}},  // rank 1, long enough to be split among threads: contiguous,
        {{70000}, {70000}, {1}},      // scalar on the right,
        {{70000}, {1}, {70000}},      // and scalar on the left (strided run)
    };

    @Test
    void everyOpAndBroadcastShapeMatchesThePerElementLoop() {
        Random random = new Random(11);
        for (int[][] c : CASES) {
            float[] a = KernelAssert.uniform(random, numel(c[1]));
            float[] b = KernelAssert.uniform(random, numel(c[2]));
            for (int i = 0; i < b.length; i++) {
                b[i] += b[i] >= 0 ? 0.5f : -0.5f; // keep divisors away from zero
            }
            for (BinaryOp op : BinaryOp.values()) {
                float[] out = new float[numel(c[0])];
                CpuElementwise.binary(op, a, c[1], b, c[2], out, c[0]);
                for (int i = 0; i < out.length; i++) {
                    float x = a[sourceIndex(i, c[0], c[1])], y = b[sourceIndex(i, c[0], c[2])];
                    float want = switch (op) {
                        case ADD -> x + y;
                        case SUB -> x - y;
                        case MUL -> x * y;
                        case DIV -> x / y;
                    };
                    assertEquals(want, out[i], 0f, op + " at " + i + " for out " + java.util.Arrays.toString(c[0]));
                }
            }
        }
    }

    private static int numel(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Index into an operand of dims {@code src} (right-aligned, size-1 axes broadcast) for output index i. */
    private static int sourceIndex(int i, int[] out, int[] src) {
        int index = 0, stride = 1;
        for (int d = out.length - 1, s = src.length - 1; d >= 0; d--, s--) {
            int coord = i % out[d];
            i /= out[d];
            if (s >= 0) {
                index += (src[s] == 1 ? 0 : coord) * stride;
                stride *= src[s];
            }
        }
        return index;
    }

    /**
     * Backend.dropoutForward keeps element i when its draw u = CounterRng.uniform(seed, i) is at least p (the CUDA
     * kernel's rule too, so masks agree bit for bit): with p equal to one element's draw, that element is kept.
     */
    @Test
    void dropoutKeepsAnElementWhoseDrawEqualsP() {
        long seed = 5;
        float p = CounterRng.uniform(seed, 3);
        assertTrue(p > 0f && p < 1f, "draw " + p);
        float[] x = {2f, 2f, 2f, 2f}, mask = new float[4], y = new float[4];
        CpuElementwise.dropout(x, p, seed, mask, y);
        assertEquals(1f / (1f - p), mask[3], 0f);
        assertEquals(2f * (1f / (1f - p)), y[3], 0f);
    }
}
