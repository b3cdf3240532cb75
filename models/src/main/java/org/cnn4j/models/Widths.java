package org.cnn4j.models;

/** Channel-count rounding shared by torchvision's mobile families (its {@code _make_divisible}). */
final class Widths {
    private Widths() {
    }

    /**
     * The multiple of {@code divisor} nearest to {@code v} (at least {@code minValue}), moved up one step if that
     * lost more than 10% of {@code v}: the TensorFlow MobileNet rule torchvision copies.
     */
    static int makeDivisible(double v, int divisor, int minValue) {
        int rounded = Math.max(minValue, (int) (v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    static int makeDivisible(double v, int divisor) {
        return makeDivisible(v, divisor, divisor);
    }
}
