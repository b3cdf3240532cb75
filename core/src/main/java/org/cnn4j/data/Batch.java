package org.cnn4j.data;

/**
 * A batch of examples on the host: {@code data} is N*C*H*W floats in NCHW order, {@code labels} N ints.
 * Make a tensor with {@code Tensor.of(backend, batch.data(), Shape.of(batch.dims()))}.
 *
 * <p>{@code targets}, when not null, holds soft labels, N rows of K class probabilities (MixUp, CutMix); train
 * against them with {@code Losses.softCrossEntropy}. {@code labels} then hold each row's largest target, for
 * accuracy.
 */
public record Batch(float[] data, int[] labels, ImageShape shape, float[] targets) {

    public Batch {
        if ((long) labels.length * shape.size() != data.length) {
            throw new IllegalArgumentException("Batch: " + labels.length + " images of " + shape + " need "
                    + (long) labels.length * shape.size() + " floats, got " + data.length);
        }
        if (targets != null && (labels.length == 0 || targets.length % labels.length != 0)) {
            throw new IllegalArgumentException("Batch: " + targets.length + " soft targets do not make "
                    + labels.length + " rows");
        }
    }

    /** A batch with hard labels only. */
    public Batch(float[] data, int[] labels, ImageShape shape) {
        this(data, labels, shape, null);
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
