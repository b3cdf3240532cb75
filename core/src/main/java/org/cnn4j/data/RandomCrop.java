package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * Pads the image with {@code padding} zeros on every side, then takes a {@code size x size} window at a
 * uniformly random position (torchvision's {@code RandomCrop(size, padding)} with fill 0).
 */
public final class RandomCrop implements Transform {

    private final int size;
    private final int padding;

    public RandomCrop(int size, int padding) {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: expected size > 0 and padding >= 0, got size " + size
                    + ", padding " + padding);
        }
        this.size = size;
        this.padding = padding;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        ImageShape s = example.shape();
        int paddedH = s.height() + 2 * padding;
        int paddedW = s.width() + 2 * padding;
        if (paddedH < size || paddedW < size) {
            throw new IllegalArgumentException("RandomCrop: crop " + size + "x" + size + " is larger than the image "
                    + s + " padded by " + padding);
        }
        int top = rng.nextInt(paddedH - size + 1) - padding;
        int left = rng.nextInt(paddedW - size + 1) - padding;
        return Crops.window(example, top, left, size, size);
    }
}
