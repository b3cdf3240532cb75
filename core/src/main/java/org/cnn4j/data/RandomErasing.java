package org.cnn4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomErasing(p, scale, ratio, value)}: with probability {@code p}, a rectangle of a random
 * share of the area (uniform in {@code scale}) and aspect ratio (log-uniform in {@code ratio}) is set to
 * {@code value} in every channel; nothing if 10 draws do not fit. Usually placed after {@link Normalize}, where
 * 0 is the mean.
 */
public final class RandomErasing implements Transform {
    private final double p;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;
    private final float value;

    /** torchvision's defaults: scale 0.02..0.33, ratio 0.3..3.3, value 0. */
    public RandomErasing(double p) {
        this(p, 0.02, 0.33, 0.3, 3.3, 0f);
    }

    public RandomErasing(double p, double minScale, double maxScale, double minRatio, double maxRatio, float value) {
        if (!(p >= 0 && p <= 1) || !(minScale > 0 && minScale <= maxScale && maxScale <= 1)
                || !(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("RandomErasing: expected p in [0, 1], 0 < scale min <= max <= 1 and "
                    + "0 < ratio min <= max, got " + p + ", " + minScale + ".." + maxScale + ", " + minRatio + ".."
                    + maxRatio);
        }
        this.p = p;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
        this.value = value;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        if (rng.nextDouble() >= p) {
            return example;
        }
        ImageShape s = example.shape();
        int height = s.height();
        int width = s.width();
        double area = (double) height * width;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * RandomDraws.uniform(rng, minScale, maxScale);
            double aspect = Math.exp(RandomDraws.uniform(rng, Math.log(minRatio), Math.log(maxRatio)));
            int h = (int) Math.rint(Math.sqrt(target * aspect));
            int w = (int) Math.rint(Math.sqrt(target / aspect));
            if (h < 1 || w < 1 || h >= height || w >= width) {
                continue;
            }
            int top = rng.nextInt(height - h + 1);
            int left = rng.nextInt(width - w + 1);
            float[] image = example.image();
            for (int c = 0; c < s.channels(); c++) {
                for (int y = top; y < top + h; y++) {
                    int row = (c * height + y) * width;
                    Arrays.fill(image, row + left, row + left + w, value);
                }
            }
            return example;
        }
        return example;
    }
}
