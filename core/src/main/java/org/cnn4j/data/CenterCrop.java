package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * Takes the central {@code height x width} window (torchvision's {@code CenterCrop}: offset
 * round((H - h) / 2) with Python's half-to-even rounding; a crop larger than the image is zero-padded,
 * (h - H) / 2 rows above).
 */
public final class CenterCrop implements Transform {

    private final int height;
    private final int width;

    public CenterCrop(int size) {
        this(size, size);
    }

    public CenterCrop(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("CenterCrop: expected a positive size, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        ImageShape s = example.shape();
        return Crops.window(example, offset(s.height(), height), offset(s.width(), width), height, width);
    }

    private static int offset(int in, int out) {
        return in >= out ? (int) Math.rint((in - out) / 2.0) : -((out - in) / 2);
    }
}
