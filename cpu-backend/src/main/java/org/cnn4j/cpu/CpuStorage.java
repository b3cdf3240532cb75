package org.cnn4j.cpu;

import java.util.concurrent.atomic.AtomicLong;

import org.cnn4j.tensor.Storage;

/**
 * A heap float array (zero-filled, possibly recycled through the backend's {@link CpuArrayPool}); live bytes are
 * counted so tests can assert that nothing leaked.
 */
final class CpuStorage extends Storage {
    final float[] data;
    private final AtomicLong live;
    private final CpuArrayPool pool;

    CpuStorage(int numel, AtomicLong live, CpuArrayPool pool) {
        super(4L * numel);
        this.data = pool.take(numel);
        this.live = live;
        this.pool = pool;
        live.addAndGet(bytes());
    }

    @Override
    protected void free() {
        live.addAndGet(-bytes());
        pool.give(data);
    }
}
