package org.cnn4j.distributed;

import java.util.List;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.Example;
import org.cnn4j.data.ImageShape;
import org.cnn4j.data.Subset;

/**
 * This rank's examples of the current epoch as one dataset, for a training loop that keeps one unshuffled loader
 * for the whole run: call {@link #setEpoch} before each epoch (like PyTorch's {@code sampler.set_epoch}). Its size
 * is the same every epoch.
 */
public final class EpochShard implements Dataset {
    private final Dataset base;
    private final DistributedSampler sampler;
    private volatile Subset current;
    private int epoch = -1;

    public EpochShard(Dataset base, DistributedSampler sampler) {
        this.base = base;
        this.sampler = sampler;
        setEpoch(0);
    }

    public DistributedSampler sampler() {
        return sampler;
    }

    /** Switches to epoch {@code epoch}'s examples; do not call while a loader is reading this dataset. */
    public synchronized void setEpoch(int epoch) {
        if (epoch != this.epoch) {
            current = Subset.of(base, sampler.indices(epoch));
            this.epoch = epoch;
        }
    }

    @Override
    public int size() {
        return current.size();
    }

    @Override
    public Example get(int index) {
        return current.get(index);
    }

    @Override
    public ImageShape shape() {
        return base.shape();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }
}
