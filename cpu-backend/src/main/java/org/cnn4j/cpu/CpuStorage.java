package org.cnn4j.cpu;

import java.util.concurrent.atomic.AtomicLong;

import org.cnn4j.tensor.Storage;

/** A heap float array; live bytes are counted so tests can assert that nothing leaked. */
final class CpuStorage extends Storage {
    final float[] data;
    private final AtomicLong live;

    CpuStorage(int numel, AtomicLong live) {
        super(4L * numel);
        this.data = new float[numel];
        this.live = live;
        live.addAndGet(bytes());
    }

    @Override
    protected void free() {
        live.addAndGet(-bytes());
    }
}
