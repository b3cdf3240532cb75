package org.cnn4j.cpu;

/** Negative log-likelihood with label smoothing (see Backend.nllLossForward); labels are float class indices. */
final class CpuLoss {
    private CpuLoss() {
    }

    /** {@code loss[i] = -(1-s) * logp[i, label[i]] - (s/C) * sum_c logp[i, c]}. */
    static void nllForward(float[] logProbs, int rows, int cols, float[] labels, float smoothing, float[] losses) {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int label = label(labels, i, cols);
            double loss = -(1.0 - smoothing) * logProbs[base + label];
            if (smoothing != 0f) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += logProbs[base + c];
                }
                loss -= smoothing / (double) cols * sum;
            }
            losses[i] = (float) loss;
        }
    }

    /** {@code dLogProbs[i, c] = -dLosses[i] * ((1-s) [c == label[i]] + s/C)}. */
    static void nllBackward(float[] labels, float smoothing, float[] dLosses, int rows, int cols,
                            float[] dLogProbs) {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int label = label(labels, i, cols);
            float g = dLosses[i];
            float uniform = -g * (smoothing / cols);
            for (int c = 0; c < cols; c++) {
                dLogProbs[base + c] = uniform;
            }
            dLogProbs[base + label] = (float) (-g * ((1.0 - smoothing) + (double) smoothing / cols));
        }
    }

    private static int label(float[] labels, int i, int cols) {
        float v = labels[i];
        int label = (int) v;
        if (label != v || label < 0 || label >= cols) {
            throw new IllegalArgumentException("nll_loss: label " + v + " at row " + i
                    + " is not a class index in [0, " + cols + ")");
        }
        return label;
    }
}
