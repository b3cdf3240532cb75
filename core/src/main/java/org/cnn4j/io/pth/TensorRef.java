package org.cnn4j.io.pth;

import java.util.Arrays;

import org.cnn4j.tensor.Shape;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a view of {@code shape} into a storage,
 * starting at element {@code offset} with the given element strides. {@link #of} checks that every element the
 * view can reach lies inside the storage, so reading it later cannot run past the data.
 */
final class TensorRef {
    /** Torch's own limit on the number of dimensions. */
    static final int MAX_RANK = 64;

    final StorageRef storage;
    final long offset;
    final int[] shape;
    final long[] strides;
    final long numel;

    private TensorRef(StorageRef storage, long offset, int[] shape, long[] strides, long numel) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
    }

    static TensorRef of(StorageRef storage, long offset, long[] size, long[] stride) throws PthFormatException {
        String what = "tensor of size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                + " at offset " + offset + " into " + storage.describe();
        if (size.length != stride.length || size.length > MAX_RANK) {
            throw new PthFormatException(what + ": size and stride must have the same length, at most " + MAX_RANK);
        }
        if (offset < 0) {
            throw new PthFormatException(what + ": negative storage offset");
        }
        int[] shape = new int[size.length];
        long numel = 1;
        long lastElement = offset; // the furthest element the view reaches
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || size[d] > Integer.MAX_VALUE || stride[d] < 0) {
                throw new PthFormatException(what + ": sizes must be in [0, 2^31) and strides non-negative");
            }
            shape[d] = (int) size[d];
            numel = size[d] == 0 || numel == 0 ? 0 : multiplyOrMax(numel, size[d]);
            if (size[d] > 0) {
                lastElement = addOrMax(lastElement, multiplyOrMax(size[d] - 1, stride[d]));
            }
        }
        if (numel > Integer.MAX_VALUE) {
            throw new PthFormatException(what + ": more than " + Integer.MAX_VALUE + " elements are not supported");
        }
        if (numel > 0 ? lastElement >= storage.numel() : offset > storage.numel()) {
            throw new PthFormatException(what + ": reaches element " + lastElement + ", beyond the storage's "
                    + storage.numel() + " elements");
        }
        return new TensorRef(storage, offset, shape, stride.clone(), numel);
    }

    Shape shape() {
        return Shape.of(shape);
    }

    /** Row-major with no gaps, so the data is one run of the storage. */
    boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Number of storage elements from the first to the last one the view reaches (0 when empty). */
    long span() {
        if (numel == 0) {
            return 0;
        }
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            last += (shape[d] - 1L) * strides[d];
        }
        return last + 1;
    }

    private static long multiplyOrMax(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static long addOrMax(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
