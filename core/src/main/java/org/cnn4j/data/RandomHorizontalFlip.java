package org.cnn4j.data;

import java.util.SplittableRandom;

/** Mirrors the image left-right with probability {@code p}, in place. */
public final class RandomHorizontalFlip implements Transform {

    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: expected 0 <= p <= 1, got " + p);
        }
        this.p = p;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        if (rng.nextDouble() >= p) {
            return example;
        }
        float[] image = example.image();
        int w = example.shape().width();
        int rows = example.shape().channels() * example.shape().height();
        for (int r = 0; r < rows; r++) {
            for (int left = r * w, right = left + w - 1; left < right; left++, right--) {
                float t = image[left];
                image[left] = image[right];
                image[right] = t;
            }
        }
        return example;
    }
}
