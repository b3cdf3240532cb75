package org.cnn4j.explain;

/**
 * What an explanation method says about one input: {@code height x width} values in row-major order, as the method
 * computed them (no resizing, no normalisation), and the class they explain. Grad-CAM maps have the explained
 * layer's resolution; the other methods' maps have the input's.
 */
public record Heatmap(float[] values, int height, int width, int targetClass) {
    public Heatmap {
        if (height < 1 || width < 1 || values.length != height * width) {
            throw new IllegalArgumentException("Heatmap: " + values.length + " values do not fill " + height + "x"
                    + width);
        }
    }

    public float at(int row, int col) {
        return values[row * width + col];
    }

    /** Flat index of the largest value (the first, on ties). */
    public int argMax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
