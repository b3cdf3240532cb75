package org.cnn4j.distributed;

import java.util.Objects;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Subset;

/**
 * Which examples each rank trains on, epoch by epoch. Epoch {@code k}'s order is the single-process
 * {@link DataLoader}'s order for (seed, k); it is cut into global batches of {@code globalBatch} examples, and rank
 * {@code r} takes the r-th contiguous share of every global batch. So the ranks' batches of one step, laid end to
 * end in rank order, are exactly the single-process batch of that step, and every example is seen once per epoch
 * across the ranks. The last global batch, when shorter, is shared out in equal shares of
 * {@code floor(m / worldSize)}; the fewer than {@code worldSize} examples left over are skipped that epoch (a
 * different few each epoch when shuffling), as PyTorch's DistributedSampler does with drop_last.
 */
public final class DistributedSampler {
    private final Dataset dataset;
    private final int globalBatch;
    private final int rank;
    private final int worldSize;
    private final boolean shuffle;
    private final long seed;

    public DistributedSampler(Dataset dataset, int globalBatch, int rank, int worldSize, boolean shuffle,
                              long seed) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("DistributedSampler: rank " + rank + " of a world of " + worldSize);
        }
        if (globalBatch < worldSize || globalBatch % worldSize != 0) {
            throw new IllegalArgumentException("the global batch size (" + globalBatch + ") must be a multiple of"
                    + " the number of processes (" + worldSize + ")");
        }
        if (dataset.size() < worldSize) {
            throw new IllegalArgumentException("a dataset of " + dataset.size() + " examples cannot be shared by "
                    + worldSize + " processes");
        }
        this.globalBatch = globalBatch;
        this.rank = rank;
        this.worldSize = worldSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** This rank's batch size (the global batch divided by the world size). */
    public int localBatch() {
        return globalBatch / worldSize;
    }

    /** Steps per epoch, the same on every rank. */
    public int stepsPerEpoch() {
        int n = dataset.size();
        int full = n / globalBatch;
        return full + (n % globalBatch >= worldSize ? 1 : 0);
    }

    /** This rank's dataset indices for epoch {@code epoch}, in the order its loader must batch them. */
    public int[] indices(int epoch) {
        int[] order;
        try (DataLoader whole = new DataLoader(dataset, globalBatch, shuffle, seed, false, null, null, 1)) {
            order = whole.order(epoch);
        }
        int n = order.length;
        int full = n / globalBatch;
        int rest = n % globalBatch;
        int local = localBatch();
        int lastShare = rest / worldSize;
        int[] out = new int[full * local + lastShare];
        int at = 0;
        for (int b = 0; b < full; b++) {
            System.arraycopy(order, b * globalBatch + rank * local, out, at, local);
            at += local;
        }
        System.arraycopy(order, full * globalBatch + rank * lastShare, out, at, lastShare);
        return out;
    }

    /**
     * This rank's examples of epoch {@code epoch}, in order: load them with an unshuffled {@link DataLoader} of
     * batch {@link #localBatch()} (its epoch number only seeds the augmentations).
     */
    public Dataset shard(int epoch) {
        return Subset.of(dataset, indices(epoch));
    }
}
