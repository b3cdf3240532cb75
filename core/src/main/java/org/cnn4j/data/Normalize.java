package org.cnn4j.data;

import java.util.SplittableRandom;

/** {@code x = (x - mean[c]) / std[c]} per channel, in place, like torchvision's {@code Normalize}. */
public final class Normalize implements Transform {

    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: expected mean and std of the same non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException("Normalize: expected every std > 0, got " + s);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        ImageShape shape = example.shape();
        if (shape.channels() != mean.length) {
            throw new IllegalArgumentException("Normalize: has " + mean.length + " channel statistics, image is "
                    + shape);
        }
        float[] image = example.image();
        int plane = shape.height() * shape.width();
        for (int c = 0; c < mean.length; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                image[i] = (image[i] - m) * inv;
            }
        }
        return example;
    }
}
