package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BatchMixingTest {

    /** 3 images 1x4x4 of constant value 10, 20, 30 with labels 0, 1, 2. */
    private static Batch constants() {
        float[] data = new float[3 * 16];
        for (int i = 0; i < 3; i++) {
            Arrays.fill(data, i * 16, (i + 1) * 16, 10 * (i + 1));
        }
        return new Batch(data, new int[] {0, 1, 2}, new ImageShape(1, 4, 4));
    }

    @Test
    void betaDrawsHaveTheRightMean() {
        SplittableRandom rng = new SplittableRandom(5);
        for (double a : new double[] {0.2, 1.0, 3.0}) {
            double sum = 0;
            int n = 20000;
            for (int i = 0; i < n; i++) {
                double x = RandomDraws.beta(rng, a, 2 * a);
                assertTrue(x >= 0 && x <= 1);
                sum += x;
            }
            // mean a / (a + 2a) = 1/3; the standard error is below 0.004 for these shapes, so 0.02 is 5 sigma
            assertEquals(1.0 / 3, sum / n, 0.02, "Beta(" + a + ", " + 2 * a + ")");
        }
    }

    @Test
    void mixUpMixesEachImageWithItsPredecessorAndTargetsAlike() {
        Batch out = new MixUp(0.4, 3).apply(constants(), new SplittableRandom(7));
        float lam = (out.data()[0] - 30) / (10 - 30); // image 0 = lam * 10 + (1 - lam) * 30
        assertTrue(lam >= 0 && lam <= 1);
        for (int i = 0; i < 3; i++) {
            int prev = (i + 2) % 3;
            float expected = lam * 10 * (i + 1) + (1 - lam) * 10 * (prev + 1);
            for (int k = 0; k < 16; k++) {
                assertEquals(expected, out.data()[i * 16 + k], 1e-4f);
            }
            float[] row = Arrays.copyOfRange(out.targets(), i * 3, i * 3 + 3);
            assertEquals(lam, row[i], 1e-6f);
            assertEquals(1 - lam, row[prev], 1e-6f);
            assertEquals(lam >= 0.5f ? i : prev, out.labels()[i], "label of the larger share");
        }
    }

    @Test
    void cutMixPastesABoxAndWeighsTargetsByTheKeptArea() {
        int pasted = 0;
        for (int seed = 0; seed < 50; seed++) {
            Batch out = new CutMix(1.0, 3).apply(constants(), new SplittableRandom(seed));
            for (int i = 0; i < 3; i++) {
                int prev = (i + 2) % 3;
                int fromPrev = 0;
                for (int k = 0; k < 16; k++) {
                    float v = out.data()[i * 16 + k];
                    assertTrue(v == 10 * (i + 1) || v == 10 * (prev + 1));
                    fromPrev += v == 10 * (prev + 1) ? 1 : 0;
                }
                pasted += fromPrev;
                assertEquals(1 - fromPrev / 16f, out.targets()[i * 3 + i], 1e-6f, "kept share");
                assertEquals(fromPrev / 16f, out.targets()[i * 3 + prev], 1e-6f, "pasted share");
            }
        }
        assertTrue(pasted > 0, "some boxes are pasted");
    }

    @Test
    void mixingComposesWithSoftTargets() {
        Batch once = new MixUp(1.0, 3).apply(constants(), new SplittableRandom(1));
        Batch twice = new CutMix(1.0, 3).apply(once, new SplittableRandom(2));
        for (int i = 0; i < 3; i++) {
            float sum = twice.targets()[i * 3] + twice.targets()[i * 3 + 1] + twice.targets()[i * 3 + 2];
            assertEquals(1f, sum, 1e-6f, "targets of row " + i + " still sum to 1");
        }
        assertThrows(IllegalArgumentException.class, () -> new MixUp(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new MixUp(1, 2).apply(constants(), new SplittableRandom(1)));
    }

    @Test
    void loaderBatchTransformsAreTheSameWhateverTheNumberOfWorkers() {
        byte[] pixels = new byte[64 * 4];
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 10;
        }
        ArrayDataset ds = new ArrayDataset(pixels, labels, new ImageShape(1, 2, 2), FashionMnist.CLASS_NAMES);
        BatchTransform mix = BatchTransform.oneOf(new MixUp(0.8, 10), new CutMix(1.0, 10));
        Transform augment = new Compose(new RandomHorizontalFlip(0.5), new RandomErasing(0.5));
        List<List<Batch>> runs = new ArrayList<>();
        for (int workers : new int[] {1, 3}) {
            List<Batch> batches = new ArrayList<>();
            try (DataLoader loader = new DataLoader(ds, 8, true, 11, false, augment, mix, workers);
                 DataLoader.Epoch epoch = loader.epoch(2)) {
                while (epoch.hasNext()) {
                    batches.add(epoch.next());
                }
            }
            runs.add(batches);
        }
        for (int b = 0; b < runs.get(0).size(); b++) {
            assertArrayEquals(runs.get(0).get(b).data(), runs.get(1).get(b).data());
            assertArrayEquals(runs.get(0).get(b).targets(), runs.get(1).get(b).targets());
            assertArrayEquals(runs.get(0).get(b).labels(), runs.get(1).get(b).labels());
        }
    }
}
