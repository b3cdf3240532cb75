package org.cnn4j.data;

import java.util.List;

/** Chosen examples of another dataset: its first {@code n} ({@code --limit-train}) or any list of indices. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    /** The first {@code n} examples of {@code base} (all of them if it has fewer). */
    public Subset(Dataset base, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("subset size must be >= 1, got " + n);
        }
        this.base = base;
        this.indices = new int[Math.min(n, base.size())];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
    }

    private Subset(Dataset base, int[] indices) {
        this.base = base;
        this.indices = indices;
    }

    /** {@code base} itself when {@code n} is 0 (no limit) or covers it, else its first {@code n} examples. */
    public static Dataset first(Dataset base, int n) {
        return n <= 0 || n >= base.size() ? base : new Subset(base, n);
    }

    /** The examples of {@code base} at {@code indices}, in that order. */
    public static Subset of(Dataset base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IndexOutOfBoundsException("index " + i + " outside a dataset of " + base.size());
            }
        }
        return new Subset(base, indices.clone());
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        if (index < 0 || index >= indices.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside a subset of " + indices.length);
        }
        return base.get(indices[index]);
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
