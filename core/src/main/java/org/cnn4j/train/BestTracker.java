package org.cnn4j.train;

/** The best value of the monitored metric so far, its epoch, and the epochs since it. NaN never counts. */
final class BestTracker {
    private final Metric metric;
    private double value = Double.NaN;
    private int epoch;
    private int sinceBest;

    BestTracker(Metric metric) {
        this.metric = metric;
    }

    /** Adds an epoch's result; returns whether it is the new best. */
    boolean add(EpochResult r) {
        double v = metric.of(r);
        if (metric.isBetter(v, value)) {
            value = v;
            epoch = r.epoch();
            sinceBest = 0;
            return true;
        }
        sinceBest++;
        return false;
    }

    double value() {
        return value;
    }

    int epoch() {
        return epoch;
    }

    int sinceBest() {
        return sinceBest;
    }
}
