package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * TrivialAugment (Müller and Hutter 2021) as torchvision's {@code TrivialAugmentWide}: one operation picked
 * uniformly among 14, at a magnitude picked uniformly among 31 bins of its "wide" range (signed operations
 * negated half the time). Works on pixels 0..255: put it before {@link ToUnit}. Geometric operations use nearest
 * neighbours and fill with 0.
 */
public final class TrivialAugmentWide implements Transform {
    static final int BINS = 31;

    /** The operations, in torchvision's order. */
    enum Op { IDENTITY, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS,
        POSTERIZE, SOLARIZE, AUTO_CONTRAST, EQUALIZE }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        Op op = Op.values()[rng.nextInt(Op.values().length)];
        int bin = rng.nextInt(BINS);
        boolean negate = rng.nextBoolean();
        return apply(example, op, bin, negate);
    }

    /** The magnitude of {@code op} at {@code bin}: torchvision's wide ranges, linearly spaced over 31 bins. */
    static double magnitude(Op op, int bin) {
        double t = bin / (double) (BINS - 1);
        return switch (op) {
            case SHEAR_X, SHEAR_Y, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS -> 0.99 * t;
            case TRANSLATE_X, TRANSLATE_Y -> 32.0 * t;
            case ROTATE -> 135.0 * t;
            case POSTERIZE -> 8 - Math.round(bin / ((BINS - 1) / 6.0));
            case SOLARIZE -> 255.0 * (1 - t);
            default -> 0;
        };
    }

    static Example apply(Example example, Op op, int bin, boolean negate) {
        double m = magnitude(op, bin);
        boolean signed = switch (op) {
            case SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS -> true;
            default -> false;
        };
        if (signed && negate) {
            m = -m;
        }
        float[] x = example.image();
        ImageShape s = example.shape();
        float[] out = switch (op) {
            case SHEAR_X -> ImageOps.affine(x, s, 1, m, 0, 0, 1, 0);
            case SHEAR_Y -> ImageOps.affine(x, s, 1, 0, 0, m, 1, 0);
            case TRANSLATE_X -> ImageOps.affine(x, s, 1, 0, -(int) m, 0, 1, 0);
            case TRANSLATE_Y -> ImageOps.affine(x, s, 1, 0, 0, 0, 1, -(int) m);
            case ROTATE -> ImageOps.rotate(x, s, m);
            default -> x;
        };
        switch (op) {
            case BRIGHTNESS -> ImageOps.brightness(out, (float) (1 + m));
            case COLOR -> ImageOps.saturation(out, s, (float) (1 + m));
            case CONTRAST -> ImageOps.contrast(out, s, (float) (1 + m));
            case SHARPNESS -> ImageOps.sharpness(out, s, (float) (1 + m));
            case POSTERIZE -> ImageOps.posterize(out, (int) m);
            case SOLARIZE -> ImageOps.solarize(out, (float) m);
            case AUTO_CONTRAST -> ImageOps.autoContrast(out, s);
            case EQUALIZE -> ImageOps.equalize(out, s);
            default -> {
            }
        }
        return out == x ? example : new Example(out, s, example.label());
    }
}
