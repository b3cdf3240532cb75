package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Launch arguments and the launch description that cnn4j.cuda.syncDebug errors carry (host only). */
class KernelLaunchTest {
    @Test
    void describesALaunchAsCudaWritesIt() {
        Object[] args = {"ptr-a", null, 3, 1, ReducePlan.CHUNK, new int[25]};
        assertEquals("reduce_sum_to<<<3, 256>>>(ptr, null, 3, 1, 4096, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
                + " 0, 0, 0, 0, 0, 0, 0, 0])", Kernel.REDUCE_SUM_TO.describe(3, 256, args));
        assertEquals("unary_op<<<1, 256>>>(6, ptr, ptr, 1)", Kernel.UNARY_OP.describe(1, 256, 6, "x", "y", 1L));
    }

    @Test
    void argumentsAreCheckedAgainstTheSignature() {
        Kernel.SCALAR_OP.checkArguments(String.class, 1, "x", 2f, null, 5L);
        assertEquals("scalar_op: argument 2 must be Float, got Double", assertThrows(IllegalArgumentException.class,
                () -> Kernel.SCALAR_OP.checkArguments(String.class, 1, "x", 2.0, "y", 5L)).getMessage());
        assertEquals("scalar_op: argument 0 must be Integer, got null", assertThrows(IllegalArgumentException.class,
                () -> Kernel.SCALAR_OP.checkArguments(String.class, null, "x", 2f, "y", 5L)).getMessage());
        assertEquals("max_pool_fwd: argument 2 must be a struct of 52 bytes, got 12 ints",
                assertThrows(IllegalArgumentException.class,
                        () -> Kernel.MAX_POOL_FWD.checkArguments(String.class, "x", "y", new int[12])).getMessage());
    }
}
