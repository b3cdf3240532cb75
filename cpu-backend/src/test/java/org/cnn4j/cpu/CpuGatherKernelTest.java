package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The parallel gather and scatter-add against their plain loops. Each table element is summed in the same order
 * (increasing index) by both, so the results are bit-identical, not just close.
 */
class CpuGatherKernelTest {

    @Test
    void parallelKernelsEqualTheReferenceBitForBit() {
        Random r = new Random(3);
        int rows = 50, width = 300, n = 700; // n * width is large enough to be split across threads
        float[] table = new float[rows * width];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) r.nextGaussian();
        }
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(rows); // many repeats: 14 uses of each row on average
        }
        float[] fast = new float[n * width];
        float[] ref = new float[n * width];
        CpuGather.gather(table, width, ids, n, fast);
        CpuGather.gatherReference(table, width, ids, n, ref);
        assertArrayEquals(ref, fast);

        float[] src = new float[n * width];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) r.nextGaussian();
        }
        for (int skip : new int[] {-1, 7}) {
            float[] dFast = table.clone();
            float[] dRef = table.clone();
            CpuGather.scatterAdd(ids, n, src, width, skip, dFast);
            CpuGather.scatterAddReference(ids, n, src, width, skip, dRef);
            assertArrayEquals(dRef, dFast, "skip " + skip);
        }
    }
}
