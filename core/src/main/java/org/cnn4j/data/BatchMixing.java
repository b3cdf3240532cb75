package org.cnn4j.data;

/**
 * Soft targets shared by {@link MixUp} and {@link CutMix}: each example is mixed with its predecessor in the batch
 * (example 0 with the last, torchvision's {@code roll(1)}).
 */
final class BatchMixing {
    private BatchMixing() {
    }

    /** The batch's soft targets: its own when it has them, else its labels one-hot over {@code numClasses}. */
    static float[] targets(Batch batch, int numClasses) {
        if (batch.targets() != null) {
            if (batch.targets().length != batch.size() * numClasses) {
                throw new IllegalArgumentException("batch mixing: the batch has " + batch.targets().length
                        / batch.size() + " target classes, expected " + numClasses);
            }
            return batch.targets();
        }
        float[] t = new float[batch.size() * numClasses];
        for (int i = 0; i < batch.size(); i++) {
            int label = batch.labels()[i];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("batch mixing: label " + label + " is outside [0, "
                        + numClasses + ")");
            }
            t[i * numClasses + label] = 1;
        }
        return t;
    }

    /**
     * {@code weight} of each example's targets plus {@code 1 - weight} of its predecessor's, the batch's pixels
     * being {@code data}; labels become each row's largest target (its own on ties).
     */
    static Batch mix(Batch batch, float[] data, float weight, int numClasses) {
        int n = batch.size();
        float[] own = targets(batch, numClasses);
        float[] mixed = new float[own.length];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            int best = 0;
            for (int c = 0; c < numClasses; c++) {
                float v = weight * own[i * numClasses + c] + (1 - weight) * own[prev * numClasses + c];
                mixed[i * numClasses + c] = v;
                if (v > mixed[i * numClasses + best]) {
                    best = c;
                }
            }
            int ownLabel = batch.labels()[i];
            labels[i] = mixed[i * numClasses + ownLabel] >= mixed[i * numClasses + best] ? ownLabel : best;
        }
        return new Batch(data, labels, batch.shape(), mixed);
    }

    static void checkArguments(String name, double alpha, int numClasses) {
        if (!(alpha > 0) || numClasses < 1) {
            throw new IllegalArgumentException(name + ": expected alpha > 0 and numClasses >= 1, got " + alpha
                    + " and " + numClasses);
        }
    }
}
