package org.cnn4j.io.tensorboard;

/**
 * The contents of a TensorBoard {@code HistogramProto}: bucket {@code i} counts the values in
 * ({@code limits[i-1]}, {@code limits[i]}], the first bucket starting at {@code min}.
 */
public record Histogram(double min, double max, double num, double sum, double sumSquares, double[] limits,
                        double[] counts) {

    public Histogram {
        if (limits.length != counts.length) {
            throw new IllegalArgumentException("histogram: " + limits.length + " bucket limits but "
                    + counts.length + " counts");
        }
    }

    /**
     * {@code buckets} equal-width buckets from the smallest to the largest finite value. NaN and infinite values
     * are left out (TensorBoard cannot draw them); an array with no finite value gives an empty histogram.
     */
    public static Histogram of(float[] values, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("histogram: expected at least one bucket, got " + buckets);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        long num = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                sumSquares += (double) v * v;
                num++;
            }
        }
        if (num == 0) {
            return new Histogram(0, 0, 0, 0, 0, new double[0], new double[0]);
        }
        int n = max > min ? buckets : 1;
        double width = (max - min) / n;
        double[] limits = new double[n];
        for (int i = 0; i < n - 1; i++) {
            limits[i] = min + (i + 1) * width;
        }
        limits[n - 1] = max;
        double[] counts = new double[n];
        for (float v : values) {
            if (Float.isFinite(v)) {
                int i = n == 1 ? 0 : (int) Math.ceil((v - min) / width) - 1;
                counts[Math.max(0, Math.min(n - 1, i))]++;
            }
        }
        return new Histogram(min, max, num, sum, sumSquares, limits, counts);
    }
}
