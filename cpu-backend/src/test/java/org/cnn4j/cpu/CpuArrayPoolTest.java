package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Storage;
import org.junit.jupiter.api.Test;

/** Reuse of released arrays: always zero-filled, exact sizes only, bounded, and invisible to liveBytes. */
class CpuArrayPoolTest {
    private static final int BIG = CpuArrayPool.MIN_POOLED * 3 + 5;

    @Test
    void reusedArraysComeBackZeroFilled() {
        CpuArrayPool pool = new CpuArrayPool(1L << 30);
        float[] a = pool.take(BIG);
        Arrays.fill(a, 7f);
        a[BIG - 1] = Float.NaN;
        pool.give(a);
        float[] b = pool.take(BIG);
        assertSame(a, b, "a released array of the same length is reused");
        assertEquals(0, pool.pooledBytes());
        for (int i = 0; i < b.length; i++) {
            assertEquals(0, Float.floatToRawIntBits(b[i]), "element " + i + " of a reused array");
        }
        assertNotSame(b, pool.take(BIG), "an array is handed out once");
    }

    /** The JVM-wide budget (a quarter of the heap for all pools together) counts every pool's arrays. */
    @Test
    void poolsOfSeveralBackendsAreCountedTogether() {
        CpuArrayPool one = new CpuArrayPool(1L << 30), two = new CpuArrayPool(1L << 30);
        long before = CpuArrayPool.jvmPooledBytes();
        float[] a = two.take(BIG), b = two.take(BIG);
        one.give(one.take(BIG));
        two.give(a);
        two.give(b);
        assertEquals(before + 3 * 4L * BIG, CpuArrayPool.jvmPooledBytes());
        two.clear();
        assertEquals(before + 4L * BIG, CpuArrayPool.jvmPooledBytes());
        one.clear();
    }

    @Test
    void onlyExactLargeSizesWithinCapacityArePooled() {
        CpuArrayPool pool = new CpuArrayPool(4L * BIG + 4);
        float[] small = pool.take(CpuArrayPool.MIN_POOLED - 1);
        pool.give(small);
        assertEquals(0, pool.pooledBytes());
        assertNotSame(small, pool.take(CpuArrayPool.MIN_POOLED - 1));
        float[] a = pool.take(BIG), b = pool.take(BIG);
        pool.give(a);
        pool.give(b); // over capacity: dropped
        assertEquals(4L * BIG, pool.pooledBytes());
        assertNotSame(a, pool.take(BIG + 1), "no reuse across lengths");
        assertSame(a, pool.take(BIG));
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void backendStorageIsZeroAfterReuseAndLiveBytesCountOnlyLiveStorage() {
        CpuBackend backend = new CpuBackend();
        long start = backend.liveBytes();
        Storage s = backend.allocate(DType.FLOAT32, BIG);
        float[] data = ((CpuStorage) s).data;
        Arrays.fill(data, 3f);
        assertEquals(start + 4L * BIG, backend.liveBytes());
        ((CpuStorage) s).free();
        assertEquals(start, backend.liveBytes());
        Storage t = backend.allocate(DType.FLOAT32, BIG);
        assertSame(data, ((CpuStorage) t).data);
        assertEquals(start + 4L * BIG, backend.liveBytes());
        for (float v : ((CpuStorage) t).data) {
            assertEquals(0f, v);
        }
        ((CpuStorage) t).free();
        assertEquals(start, backend.liveBytes());
    }
}
