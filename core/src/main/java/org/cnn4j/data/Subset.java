package org.cnn4j.data;

import java.util.List;

/** The first {@code n} examples of another dataset (for quick runs: {@code --limit-train}). */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int size;

    public Subset(Dataset base, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("subset size must be >= 1, got " + n);
        }
        this.base = base;
        this.size = Math.min(n, base.size());
    }

    /** {@code base} itself when {@code n} is 0 (no limit) or covers it, else its first {@code n} examples. */
    public static Dataset first(Dataset base, int n) {
        return n <= 0 || n >= base.size() ? base : new Subset(base, n);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Example get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside a subset of " + size);
        }
        return base.get(index);
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
