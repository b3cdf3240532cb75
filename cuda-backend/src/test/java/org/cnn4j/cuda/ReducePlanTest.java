package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pass structure of reduce_sum_to and the launches it makes (host only; the kernels run in emulation tests). */
class ReducePlanTest {
    private static int[] splits(int[] src, int[] dst) {
        return ReducePlan.passes(src, dst).stream().mapToInt(ReducePlan.Pass::splits).toArray();
    }

    @Test
    void smallReductionsAreOnePassOfOneBlockPerOutput() {
        assertArrayEquals(new int[] {1}, splits(new int[] {300, 7}, new int[] {7}));
        assertArrayEquals(new int[] {1}, splits(new int[] {ReducePlan.CHUNK}, new int[] {1}));
        assertArrayEquals(new int[] {1}, splits(new int[] {0, 3}, new int[] {3}));
        assertEquals(0, ReducePlan.passes(new int[] {0, 3}, new int[] {0, 1}).size());
    }

    @Test
    void largeReductionsSpreadOverManyBlocksAndSumThePartialsAgain() {
        assertArrayEquals(new int[] {2, 1}, splits(new int[] {ReducePlan.CHUNK + 1}, new int[] {1}));
        // a full reduction of 2^25 elements: 8192 blocks, then 2, then 1
        assertArrayEquals(new int[] {8192, 2, 1}, splits(new int[] {1 << 25}, new int[] {}));
        // ResNet-50's first batch-norm bias gradient, N=256 C=64 112x112: 784 blocks per channel, then one
        List<ReducePlan.Pass> bias = ReducePlan.passes(new int[] {256, 64, 112, 112}, new int[] {64, 1, 1});
        assertEquals(2, bias.size());
        assertEquals(64L * 784, bias.get(0).blocks());
        assertArrayEquals(Geometry.reduction(new int[] {64, 784}, new int[] {64, 1}), bias.get(1).geometry());
    }

    /** Records launches and scratch blocks; optionally fails the n-th launch. */
    private static final class Recorder implements ReducePlan.Device<String> {
        final List<String> events = new ArrayList<>();
        final int failAt;
        int launches;

        Recorder(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public String scratch(long floats) {
            String name = "scratch" + events.size() + "[" + floats + "]";
            events.add("alloc " + name);
            return name;
        }

        @Override
        public void release(String scratch) {
            events.add("release " + scratch);
        }

        @Override
        public void launchGrid(Kernel kernel, long blocks, int threads, Object... args) {
            kernel.checkArguments(String.class, args);
            if (launches++ == failAt) {
                throw new CudaOperationException("launch failed");
            }
            events.add("launch " + blocks + " " + args[0] + " -> " + args[1]);
        }
    }

    @Test
    void eachPassReadsThePreviousPassAndScratchIsReleasedAfterTheLast() {
        Recorder r = new Recorder(-1);
        ReducePlan.run(r, "src", new int[] {1 << 25}, "dst", new int[] {1});
        assertEquals(List.of("alloc scratch0[8192]", "launch 8192 src -> scratch0[8192]", "alloc scratch2[2]",
                "launch 2 scratch0[8192] -> scratch2[2]", "launch 1 scratch2[2] -> dst", "release scratch0[8192]",
                "release scratch2[2]"), r.events);
    }

    @Test
    void scratchIsReleasedWhenALaunchFails() {
        Recorder r = new Recorder(1);
        assertThrows(CudaOperationException.class,
                () -> ReducePlan.run(r, "src", new int[] {1 << 25}, "dst", new int[] {1}));
        assertTrue(r.events.containsAll(List.of("release scratch0[8192]", "release scratch2[2]")), r.events.toString());
    }
}
