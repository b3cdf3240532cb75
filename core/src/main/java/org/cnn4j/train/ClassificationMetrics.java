package org.cnn4j.train;

/** Accumulates loss, top-1/top-5 accuracy and a confusion matrix over batches of logits. */
public final class ClassificationMetrics {
    private final int numClasses;
    private final long[][] confusion;
    private double lossSum;
    private long count;
    private long top1;
    private long top5;

    public ClassificationMetrics(int numClasses) {
        this.numClasses = numClasses;
        this.confusion = new long[numClasses][numClasses];
    }

    /**
     * Adds one batch: {@code logits} is row-major [rows, numClasses]; {@code meanLoss} is the batch's mean loss.
     */
    public void update(float[] logits, int[] labels, double meanLoss) {
        int rows = labels.length;
        if (logits.length != (long) rows * numClasses) {
            throw new IllegalArgumentException("metrics: expected logits of " + rows + "x" + numClasses + ", got "
                    + logits.length + " values");
        }
        for (int r = 0; r < rows; r++) {
            int base = r * numClasses;
            int label = labels[r];
            float target = logits[base + label];
            int predicted = 0;
            int greater = 0;
            for (int c = 0; c < numClasses; c++) {
                float v = logits[base + c];
                if (v > logits[base + predicted]) {
                    predicted = c;
                }
                if (v > target || (v == target && c < label)) {
                    greater++;
                }
            }
            confusion[label][predicted]++;
            if (greater == 0) {
                top1++;
            }
            if (greater < 5) {
                top5++;
            }
        }
        lossSum += meanLoss * rows;
        count += rows;
    }

    public long count() {
        return count;
    }

    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double top1() {
        return count == 0 ? Double.NaN : (double) top1 / count;
    }

    public double top5() {
        return count == 0 ? Double.NaN : (double) top5 / count;
    }

    /** {@code [true class][predicted class]} counts. */
    public long[][] confusion() {
        long[][] copy = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }
}
