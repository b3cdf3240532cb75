package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} on pixels 0..255 (put it before
 * {@link ToUnit}): each non-zero part draws a factor, uniform in {@code [max(0, 1 - x), 1 + x]} ({@code [-hue, hue]}
 * turns for hue), and the four are applied in a random order. Saturation and hue leave 1-channel images alone.
 */
public final class ColorJitter implements Transform {
    private final float brightness;
    private final float contrast;
    private final float saturation;
    private final float hue;

    public ColorJitter(float brightness, float contrast, float saturation, float hue) {
        if (brightness < 0 || contrast < 0 || saturation < 0 || !(hue >= 0 && hue <= 0.5f)) {
            throw new IllegalArgumentException("ColorJitter: expected brightness, contrast, saturation >= 0 and hue"
                    + " in [0, 0.5], got " + brightness + ", " + contrast + ", " + saturation + ", " + hue);
        }
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
        this.hue = hue;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float b = factor(rng, brightness);
        float c = factor(rng, contrast);
        float s = factor(rng, saturation);
        float h = hue > 0 ? (float) RandomDraws.uniform(rng, -hue, hue) : 0f;
        float[] image = example.image();
        ImageShape shape = example.shape();
        for (int op : order) {
            switch (op) {
                case 0 -> {
                    if (brightness > 0) {
                        ImageOps.brightness(image, b);
                    }
                }
                case 1 -> {
                    if (contrast > 0) {
                        ImageOps.contrast(image, shape, c);
                    }
                }
                case 2 -> {
                    if (saturation > 0) {
                        ImageOps.saturation(image, shape, s);
                    }
                }
                default -> {
                    if (hue > 0) {
                        ImageOps.hue(image, shape, h);
                    }
                }
            }
        }
        return example;
    }

    private static float factor(SplittableRandom rng, float amount) {
        return amount > 0 ? (float) RandomDraws.uniform(rng, Math.max(0, 1 - amount), 1 + amount) : 1f;
    }
}
