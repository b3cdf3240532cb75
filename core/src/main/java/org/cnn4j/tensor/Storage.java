package org.cnn4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend's memory block behind one or more tensors (reshape views share it). Reference counted:
 * the block is released when the last tensor using it is closed.
 */
public abstract class Storage {
    private final AtomicInteger refs = new AtomicInteger(1);
    private final long bytes;

    protected Storage(long bytes) {
        this.bytes = bytes;
    }

    public final long bytes() {
        return bytes;
    }

    public final boolean isReleased() {
        return refs.get() <= 0;
    }

    final void retain() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("storage already released");
        }
    }

    final void release() {
        if (refs.decrementAndGet() == 0) {
            free();
        }
    }

    /** Returns the memory to the backend; called once, when the last reference is released. */
    protected abstract void free();
}
