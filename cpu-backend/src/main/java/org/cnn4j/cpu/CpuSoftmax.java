package org.cnn4j.cpu;

/** Softmax and log-softmax over the rows of a [rows, cols] matrix, max-subtracted, sums in double. */
final class CpuSoftmax {
    private CpuSoftmax() {
    }

    static void forward(boolean log, float[] x, int rows, int cols, float[] y) {
        CpuThreads.parallelFor(rows, 20L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, x[base + j]);
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(x[base + j] - max);
                }
                if (log) {
                    double logSum = Math.log(sum);
                    for (int j = 0; j < cols; j++) {
                        y[base + j] = (float) (x[base + j] - max - logSum);
                    }
                } else {
                    double inv = 1.0 / sum;
                    for (int j = 0; j < cols; j++) {
                        y[base + j] = (float) (Math.exp(x[base + j] - max) * inv);
                    }
                }
            }
        });
    }

    /**
     * Softmax: {@code dx = y * (dy - sum_j dy_j y_j)}; log-softmax: {@code dx = dy - exp(y) * sum_j dy_j}.
     */
    static void backward(boolean log, float[] y, float[] dy, int rows, int cols, float[] dx) {
        CpuThreads.parallelFor(rows, 10L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += log ? dy[base + j] : (double) dy[base + j] * y[base + j];
                }
                if (log) {
                    for (int j = 0; j < cols; j++) {
                        dx[base + j] = (float) (dy[base + j] - Math.exp(y[base + j]) * dot);
                    }
                } else {
                    for (int j = 0; j < cols; j++) {
                        dx[base + j] = (float) (y[base + j] * (dy[base + j] - dot));
                    }
                }
            }
        });
    }
}
