package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.junit.jupiter.api.Test;

/**
 * The reference loops (the oracle of every kernel test) overwrite their output: the passes that accumulate into
 * it clear it first, so an array that held something else gives the same result as a fresh one. Dimensions are
 * all above 1, so clearing only part of the array would show.
 */
class ReferenceOutputsTest {
    private final Random random = new Random(3);

    /** The pass into a fresh array and into one filled with 7s, which must agree exactly. */
    private static void overwrites(String what, int size, Consumer<float[]> pass) {
        float[] fresh = new float[size], reused = new float[size];
        Arrays.fill(reused, 7f);
        pass.accept(fresh);
        pass.accept(reused);
        assertArrayEquals(fresh, reused, 0f, what);
    }

    @Test
    void convolutionGradientsOverwriteTheirOutput() {
        int[] xd = {2, 3, 5, 4}, wd = {4, 3, 3, 2}, yd = {2, 4, 3, 3};
        ConvSpec spec = ConvSpec.of(1, 0);
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
        float[] w = KernelAssert.uniform(random, CpuConvKernelTest.prod(wd));
        float[] dy = KernelAssert.uniform(random, CpuConvKernelTest.prod(yd));
        overwrites("conv backward data", x.length, dx -> CpuConvReference.backwardData(dy, yd, w, wd, dx, xd, spec));
        overwrites("conv backward filter", w.length,
                dw -> CpuConvReference.backwardFilter(x, xd, dy, yd, dw, wd, spec));
    }

    @Test
    void poolingGradientsOverwriteTheirOutput() {
        int[] xd = {2, 3, 6, 4}, yd = {2, 3, 3, 2};
        float[] x = KernelAssert.uniform(random, CpuConvKernelTest.prod(xd));
        float[] dy = KernelAssert.uniform(random, CpuConvKernelTest.prod(yd));
        overwrites("max pool backward", x.length,
                dx -> CpuPoolReference.backward(x, xd, dy, yd, dx, PoolSpec.max(2, 2, 0)));
        overwrites("adaptive average pool backward", x.length,
                dx -> CpuPoolReference.adaptiveAvgBackward(dy, yd, dx, xd));
    }
}
