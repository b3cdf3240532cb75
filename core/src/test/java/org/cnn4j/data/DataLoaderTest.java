package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** {@code n} examples of shape 1x2x2 whose pixels are all i (mod 256) and label i % 10. */
    private static ArrayDataset numbered(int n) {
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 10;
        }
        return new ArrayDataset(pixels, labels, new ImageShape(1, 2, 2), FashionMnist.CLASS_NAMES);
    }

    private static List<Batch> all(DataLoader loader, int epoch) {
        List<Batch> batches = new ArrayList<>();
        try (DataLoader.Epoch it = loader.epoch(epoch)) {
            while (it.hasNext()) {
                batches.add(it.next());
            }
        }
        return batches;
    }

    private static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data(), "batch " + i);
            assertArrayEquals(a.get(i).labels(), b.get(i).labels(), "batch " + i);
        }
    }

    @Test
    void sameSeedGivesTheSameBatchesAndEpochsDiffer() {
        Transform augment = new Compose(new RandomCrop(2, 1), new RandomHorizontalFlip(0.5));
        try (DataLoader a = new DataLoader(numbered(100), 8, true, 42, false, augment);
             DataLoader b = new DataLoader(numbered(100), 8, true, 42, false, augment)) {
            assertSameBatches(all(a, 0), all(b, 0));
            assertFalse(Arrays.equals(a.order(0), a.order(1)), "epochs 0 and 1 have the same order");
            // resume: epoch 3 of a fresh loader equals epoch 3 after running 0..2, augmentations included
            all(a, 1);
            all(a, 2);
            assertSameBatches(all(a, 3), all(b, 3));
        }
        try (DataLoader c = new DataLoader(numbered(100), 8, true, 43, false, null)) {
            assertFalse(Arrays.equals(c.order(0), new DataLoader(numbered(100), 8, true, 42, false, null).order(0)));
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, new DataLoader(numbered(4), 2, false, 42, false, null).order(5));
    }

    @Test
    void everyExampleIsSeenExactlyOncePerEpoch() {
        try (DataLoader loader = new DataLoader(numbered(103), 10, true, 7, false, null)) {
            assertEquals(11, loader.batchesPerEpoch());
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Batch> batches = all(loader, epoch);
                assertEquals(11, batches.size());
                assertEquals(3, batches.get(10).size());
                assertArrayEquals(new int[] {10, 1, 2, 2}, batches.get(0).dims());
                int[] seen = new int[103];
                for (Batch b : batches) {
                    for (int i = 0; i < b.size(); i++) {
                        int id = (int) b.data()[i * 4];
                        assertEquals(id % 10, b.labels()[i], "label travels with its image");
                        assertEquals(id, b.data()[i * 4 + 3], 0f);
                        seen[id]++;
                    }
                }
                int[] once = new int[103];
                Arrays.fill(once, 1);
                assertArrayEquals(once, seen, "epoch " + epoch);
            }
        }
    }

    @Test
    void dropLastDropsTheShortBatch() {
        try (DataLoader loader = new DataLoader(numbered(103), 10, false, 7, true, new ToUnit())) {
            assertEquals(10, loader.batchesPerEpoch());
            List<Batch> batches = all(loader, 0);
            assertEquals(10, batches.size());
            for (Batch b : batches) {
                assertEquals(10, b.size());
            }
            assertEquals(99f / 255f, batches.get(9).data()[39], 1e-7f);
        }
    }

    @Test
    void readerExceptionReachesTheCaller() {
        ArrayDataset inner = numbered(100);
        Dataset failing = new Dataset() {
            public int size() { return 100; }
            public Example get(int i) {
                if (i == 57) {
                    throw new UncheckedIOException(new DataFormatException("img/057.png: unreadable or corrupt image"));
                }
                return inner.get(i);
            }
            public ImageShape shape() { return inner.shape(); }
            public List<String> classNames() { return inner.classNames(); }
        };
        try (DataLoader loader = new DataLoader(failing, 10, false, 0, false, null)) {
            DataLoader.Epoch epoch = loader.epoch(0);
            for (int b = 0; b < 5; b++) {
                epoch.next();
            }
            DataLoaderException e = assertThrows(DataLoaderException.class, epoch::next);
            // counted from 1 like the console's epochs and steps; the reader's message without class names
            assertEquals("reading batch 6 of epoch 1: img/057.png: unreadable or corrupt image", e.getMessage());
            assertInstanceOf(UncheckedIOException.class, e.getCause());
            assertTrue(epoch.stopped());
            assertFalse(epoch.hasNext());
        }
    }

    @Test
    void mixedShapesWithoutResizeAreReported() {
        Dataset mixed = new Dataset() {
            public int size() { return 4; }
            public Example get(int i) {
                ImageShape s = new ImageShape(1, 2, i == 2 ? 3 : 2);
                return new Example(new float[s.size()], s, 0);
            }
            public ImageShape shape() { return null; }
            public List<String> classNames() { return List.of("a"); }
        };
        try (DataLoader loader = new DataLoader(mixed, 4, false, 0, false, null)) {
            DataLoaderException e = assertThrows(DataLoaderException.class, () -> all(loader, 0));
            assertTrue(e.getMessage().startsWith("reading batch 1 of epoch 1: example 2 has shape 1x2x3 but the batch"
                    + " started with 1x2x2"),
                    e.getMessage());
        }
        try (DataLoader fixed = new DataLoader(mixed, 4, false, 0, false, new CenterCrop(2))) {
            assertEquals(1, all(fixed, 0).size());
        }
    }

    @Test
    void prefetchIsBoundedAndCloseStopsTheWorkers() throws Exception {
        ArrayDataset inner = numbered(200);
        AtomicInteger reads = new AtomicInteger();
        Dataset counting = new Dataset() {
            public int size() { return 200; }
            public Example get(int i) { reads.incrementAndGet(); return inner.get(i); }
            public ImageShape shape() { return inner.shape(); }
            public List<String> classNames() { return inner.classNames(); }
        };
        DataLoader loader = new DataLoader(counting, 10, true, 1, false, null, null, 3);
        DataLoader.Epoch epoch = loader.epoch(0);
        epoch.next();
        // taking one batch hands one more to the workers: 1 taken + 3 workers + PREFETCH ahead, and no more
        int ahead = 3 + DataLoader.PREFETCH;
        assertEquals(1 + ahead, epoch.submitted());
        for (int i = 0; i < 10_000 && epoch.prepared() < ahead; i++) {
            Thread.sleep(1);
        }
        assertEquals(ahead, epoch.prepared());
        assertEquals(10 * (1 + ahead), reads.get());
        loader.close();
        assertTrue(epoch.stopped());
        assertFalse(epoch.hasNext());

        // starting another epoch stops the previous one's workers
        DataLoader.Epoch first = loader.epoch(1);
        DataLoader.Epoch second = loader.epoch(2);
        assertTrue(first.stopped());
        assertEquals(10, second.next().size());
        second.close();
        assertTrue(second.stopped());
    }

    @Test
    void batchesAreTheSameWhateverTheNumberOfWorkers() {
        Transform augment = new Compose(new RandomCrop(2, 1), new RandomHorizontalFlip(0.5));
        List<List<Batch>> runs = new ArrayList<>();
        for (int workers : new int[] {1, 2, 5}) {
            try (DataLoader loader = new DataLoader(numbered(103), 8, true, 42, false, augment, null, workers)) {
                runs.add(all(loader, 3));
            }
        }
        assertSameBatches(runs.get(0), runs.get(1));
        assertSameBatches(runs.get(0), runs.get(2));
    }

    @Test
    void anExamplesAugmentationDependsOnItsIndexNotItsBatch() {
        Transform augment = new Compose(new RandomCrop(2, 1), new RandomHorizontalFlip(0.5));
        try (DataLoader small = new DataLoader(numbered(40), 4, false, 9, false, augment, null, 2);
             DataLoader large = new DataLoader(numbered(40), 40, false, 9, false, augment, null, 2)) {
            float[] a = new float[40 * 4];
            int k = 0;
            for (Batch b : all(small, 0)) {
                System.arraycopy(b.data(), 0, a, k, b.data().length);
                k += b.data().length;
            }
            assertArrayEquals(a, all(large, 0).get(0).data());
        }
    }

    @Test
    void badArgumentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(numbered(3), 0, false, 0, false, null));
        assertTrue(e.getMessage().contains("batchSize > 0, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(0), 1, false, 0, false, null));
    }
}
