package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CachingAllocatorTest {

    /** A fake device with a fixed capacity; pointers are increasing longs. */
    static final class FakeDevice implements DeviceMemory<Long> {
        final long capacity;
        long used;
        long next = 1;
        int mallocs;
        int frees;
        int syncs;
        final Set<Long> live = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public Long malloc(long bytes) {
            mallocs++;
            if (used + bytes > capacity) {
                return null;
            }
            used += bytes;
            long p = next++;
            live.add(p);
            sizes.put(p, bytes);
            return p;
        }

        @Override
        public void free(Long pointer) {
            assertTrue(live.remove(pointer), "double free of " + pointer);
            used -= sizes.remove(pointer);
            frees++;
        }

        @Override
        public long freeBytes() {
            return capacity - used;
        }

        @Override
        public long totalBytes() {
            return capacity;
        }

        @Override
        public void synchronize() {
            syncs++;
        }
    }

    @Test
    void sizeClassesRoundUpWithBoundedSlack() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(4));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1 << 20, CachingAllocator.sizeClass(1 << 20));
        assertEquals((1 << 20) + (1 << 18), CachingAllocator.sizeClass((1 << 20) + 1));
        for (long b = 1; b < (1L << 34); b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && c % 512 == 0, b + " -> " + c);
            assertTrue(b <= 512 || c - b < Math.max(512, b / 4 + 1), "slack of " + b + " -> " + c);
        }
    }

    @Test
    void noDeviceAllocationAfterWarmUp() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        long[] step = {4 * 64 * 3 * 32 * 32, 4 * 1000, 4 * 64 * 10, 4 * 7, 4 * 64 * 3 * 32 * 32};
        for (int iteration = 0; iteration < 5; iteration++) {
            var blocks = new java.util.ArrayList<CachingAllocator.Block<Long>>();
            for (long bytes : step) {
                blocks.add(alloc.allocate(bytes));
            }
            assertEquals(java.util.Arrays.stream(step).sum(), alloc.liveBytes(), "live bytes count tensor bytes");
            blocks.forEach(alloc::release);
            assertEquals(0, alloc.liveBytes());
            if (iteration == 0) {
                assertEquals(step.length, dev.mallocs);
            }
        }
        assertEquals(step.length, dev.mallocs, "later steps reuse cached blocks");
        alloc.emptyCache();
        assertEquals(0, alloc.cachedBytes());
        assertEquals(0, dev.used);
        assertEquals(0, alloc.reservedBytes());
    }

    @Test
    void outOfMemoryReleasesTheCacheAndRetriesOnce() {
        FakeDevice dev = new FakeDevice(4 << 20);
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        alloc.release(alloc.allocate(3 << 20));  // cached, holds 3 MiB of the 4
        var big = alloc.allocate(2 << 20);        // fits only after the cache is emptied
        assertEquals(1, dev.frees);
        assertTrue(dev.syncs >= 1, "synchronised before freeing cached blocks");
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> alloc.allocate(3 << 20));
        assertTrue(e.getMessage().contains("requested " + (3 << 20) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("device free 2.0 MiB of 4.0 MiB"), e.getMessage());
        alloc.release(big);
        assertEquals(0, alloc.liveBytes());
    }
    @Test
    void theWorkspaceGrowsNeverShrinksAndCountsAsReservedNotLive() {
        FakeDevice dev = new FakeDevice(64 << 20);
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        assertEquals(null, alloc.scratch(0), "nothing asked, nothing allocated");
        Long small = alloc.scratch(1 << 20);
        assertEquals(small, alloc.scratch(1000), "a smaller request reuses the buffer");
        int syncs = dev.syncs;
        Long big = alloc.scratch(4 << 20);
        assertTrue(dev.syncs > syncs, "queued work on the old buffer finishes before it is freed");
        assertTrue(!dev.live.contains(small), "the old buffer was freed");
        assertEquals(4 << 20, alloc.scratchBytes());
        var block = alloc.allocate(1000);
        assertEquals(1000, alloc.liveBytes(), "the workspace is not a tensor");
        assertEquals((4 << 20) + 1024, alloc.reservedBytes(), "reserved = blocks in use + cached + workspace");
        assertEquals(dev.used, alloc.reservedBytes(), "every device byte is accounted for");
        alloc.release(block);
        alloc.releaseScratch();
        alloc.emptyCache();
        assertEquals(0, alloc.reservedBytes());
        assertEquals(0, dev.used);
        assertTrue(dev.live.isEmpty() && big != null);
    }

    @Test
    void aTensorAllocationThatRunsOutReleasesTheWorkspaceToo() {
        FakeDevice dev = new FakeDevice(8 << 20);
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        alloc.scratch(6 << 20);
        var block = alloc.allocate(4 << 20);  // fits only without the workspace
        assertEquals(0, alloc.scratchBytes());
        assertEquals(dev.used, alloc.reservedBytes());
        alloc.release(block);
    }

    @Test
    void aWorkspaceThatDoesNotFitReleasesTheCacheRetriesThenThrows() {
        FakeDevice dev = new FakeDevice(8 << 20);
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        alloc.release(alloc.allocate(5 << 20));  // cached
        alloc.scratch(4 << 20);                  // fits after the cache is released
        assertEquals(0, alloc.cachedBytes());
        var live = alloc.allocate(3 << 20);
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> alloc.scratch(6 << 20));
        assertTrue(e.getMessage().startsWith("cuda: out of memory allocating a workspace of 6.0 MiB"), e.getMessage());
        assertEquals(0, alloc.scratchBytes(), "the old workspace is gone; the next request allocates anew");
        assertEquals(dev.used, alloc.reservedBytes());
        alloc.release(live);
        assertEquals(0, alloc.liveBytes());
    }
}
