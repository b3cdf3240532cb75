package org.cnn4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.ImageShape;
import org.junit.jupiter.api.Test;

class DistributedSamplerTest {
    private static Dataset dataset(int n) {
        int[] labels = new int[n];
        byte[] pixels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            pixels[i] = (byte) i; // the one pixel names the example
        }
        return new ArrayDataset(pixels, labels, new ImageShape(1, 1, 1), List.of("a", "b"));
    }

    /** The ranks' shares of each step, end to end in rank order, are the single-process batch of that step. */
    @Test
    void ranksShareEverySingleProcessBatch() {
        Dataset data = dataset(96);
        int global = 16;
        for (int world : new int[] {1, 2, 4}) {
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] single;
                try (DataLoader loader = new DataLoader(data, global, true, 5, false, null, null, 1)) {
                    single = loader.order(epoch);
                }
                int local = global / world;
                int[][] shards = new int[world][];
                for (int r = 0; r < world; r++) {
                    DistributedSampler s = new DistributedSampler(data, global, r, world, true, 5);
                    shards[r] = s.indices(epoch);
                    assertEquals(local, s.localBatch());
                    assertEquals(96 / global, s.stepsPerEpoch());
                }
                for (int step = 0; step < 96 / global; step++) {
                    for (int r = 0; r < world; r++) {
                        assertArrayEquals(Arrays.copyOfRange(single, step * global + r * local,
                                        step * global + (r + 1) * local),
                                Arrays.copyOfRange(shards[r], step * local, (step + 1) * local),
                                "world " + world + " epoch " + epoch + " step " + step + " rank " + r);
                    }
                }
            }
        }
    }

    /** 58 examples, global batch 16, 4 ranks: 3 full steps and a last one of 2 each (8 of 10); 2 left out. */
    @Test
    void everyExampleOnceExceptFewerThanWorldSizeOfTheLastBatch() {
        Dataset data = dataset(58);
        int world = 4;
        boolean[] seen = new boolean[58];
        int total = 0;
        for (int r = 0; r < world; r++) {
            DistributedSampler s = new DistributedSampler(data, 16, r, world, true, 9);
            int[] idx = s.indices(2);
            assertEquals(3 * 4 + 2, idx.length, "rank " + r);
            assertEquals(4, s.stepsPerEpoch());
            for (int i : idx) {
                assertFalse(seen[i], "example " + i + " given to two ranks");
                seen[i] = true;
                total++;
            }
        }
        assertEquals(56, total);
        int[] e0 = new DistributedSampler(data, 16, 0, world, true, 9).indices(0);
        int[] e1 = new DistributedSampler(data, 16, 0, world, true, 9).indices(1);
        assertFalse(Arrays.equals(e0, e1), "epochs must be shuffled differently");
        assertTrue(new DistributedSampler(data, 16, 1, world, false, 9).indices(0)[0] == 4);
    }

    @Test
    void aGlobalBatchThatDoesNotDivideIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DistributedSampler(dataset(10), 6, 0, 4, true, 1));
        assertTrue(e.getMessage().contains("multiple of the number of processes"), e.getMessage());
    }

    @Test
    void epochShardFollowsTheSamplerEpochByEpoch() {
        Dataset data = dataset(40);
        DistributedSampler s = new DistributedSampler(data, 8, 1, 2, true, 4);
        EpochShard shard = new EpochShard(data, s);
        for (int epoch : new int[] {0, 3, 1}) {
            shard.setEpoch(epoch);
            int[] want = s.indices(epoch);
            assertEquals(want.length, shard.size());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], (int) shard.get(i).image()[0], "epoch " + epoch + " item " + i);
            }
        }
    }
}
