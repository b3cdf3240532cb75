package org.cnn4j.train;

/**
 * Accumulates loss, top-1/top-5 accuracy and a confusion matrix over batches of logits.
 *
 * <p>A row of logits holding NaN or an infinity is no prediction at all: it counts as wrong for top-1 and
 * top-5, appears in {@link #nonFinite()} instead of the confusion matrix, and still counts in {@link #count()},
 * so the accuracy is the share of rows predicted correctly. A NaN loss makes {@link #loss()} NaN.
 */
public final class ClassificationMetrics {
    private final int numClasses;
    private final long[][] confusion;
    private final long[] nonFinite;
    private double lossSum;
    private long count;
    private long top1;
    private long top5;

    public ClassificationMetrics(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("metrics: expected at least one class, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.confusion = new long[numClasses][numClasses];
        this.nonFinite = new long[numClasses];
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
            int label = labels[r];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("metrics: label " + label + " outside [0, " + numClasses + ")");
            }
            addRow(logits, r * numClasses, label);
        }
        lossSum += meanLoss * rows;
        count += rows;
    }

    private void addRow(float[] logits, int base, int label) {
        for (int c = 0; c < numClasses; c++) {
            if (!Float.isFinite(logits[base + c])) {
                nonFinite[label]++;
                return;
            }
        }
        float target = logits[base + label];
        int predicted = 0;
        int ranksAbove = 0;
        for (int c = 0; c < numClasses; c++) {
            float v = logits[base + c];
            if (v > logits[base + predicted]) {
                predicted = c;
            }
            if (v > target || (v == target && c < label)) {
                ranksAbove++;
            }
        }
        confusion[label][predicted]++;
        if (ranksAbove == 0) {
            top1++;
        }
        if (ranksAbove < 5) {
            top5++;
        }
    }

    public int numClasses() {
        return numClasses;
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

    /** {@code [true class][predicted class]} counts of the rows with finite logits. */
    public long[][] confusion() {
        long[][] copy = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** Per true class, the rows whose logits held NaN or an infinity (no prediction; counted as wrong). */
    public long[] nonFinite() {
        return nonFinite.clone();
    }

    /** All rows whose logits held NaN or an infinity. */
    public long nonFiniteCount() {
        long n = 0;
        for (long v : nonFinite) {
            n += v;
        }
        return n;
    }
}
