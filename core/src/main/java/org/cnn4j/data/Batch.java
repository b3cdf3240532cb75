package org.cnn4j.data;

/**
 * A batch of examples on the host: {@code data} is N*C*H*W floats in NCHW order, {@code labels} N ints.
 * Make a tensor with {@code Tensor.of(backend, batch.data(), Shape.of(batch.dims()))}.
 */
public record Batch(float[] data, int[] labels, ImageShape shape) {

    public Batch {
        if ((long) labels.length * shape.size() != data.length) {
            throw new IllegalArgumentException("Batch: " + labels.length + " images of " + shape + " need "
                    + (long) labels.length * shape.size() + " floats, got " + data.length);
        }
    }

    /** Number of examples N. */
    public int size() {
        return labels.length;
    }

    /** {N, C, H, W}. */
    public int[] dims() {
        return new int[] {labels.length, shape.channels(), shape.height(), shape.width()};
    }
}
