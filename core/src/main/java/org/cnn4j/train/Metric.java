package org.cnn4j.train;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A per-epoch number a run can monitor: for the best checkpoint, early stopping and ReduceLROnPlateau. Losses
 * are better when smaller, accuracies when larger; a NaN value is never better than anything.
 */
public enum Metric {
    TEST_ACCURACY("test_accuracy", true),
    TEST_TOP5_ACCURACY("test_top5_accuracy", true),
    TEST_LOSS("test_loss", false),
    TRAIN_ACCURACY("train_accuracy", true),
    TRAIN_LOSS("train_loss", false);

    private final String id;
    private final boolean higherIsBetter;

    Metric(String id, boolean higherIsBetter) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name used in metrics.json and on the command line, e.g. {@code test_loss}. */
    @JsonValue
    public String id() {
        return id;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Parses an id (case-insensitive; '-' and '_' alike); unknown names list the known ones. */
    @JsonCreator
    public static Metric of(String id) {
        String key = id == null ? "" : id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Metric m : values()) {
            if (m.id.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "'; expected one of "
                + Arrays.stream(values()).map(Metric::id).toList());
    }

    public double of(EpochResult r) {
        return switch (this) {
            case TEST_ACCURACY -> r.testAccuracy();
            case TEST_TOP5_ACCURACY -> r.testTop5Accuracy();
            case TEST_LOSS -> r.testLoss();
            case TRAIN_ACCURACY -> r.trainAccuracy();
            case TRAIN_LOSS -> r.trainLoss();
        };
    }

    /** Whether {@code candidate} beats {@code best}; NaN never does, and anything else beats a NaN best. */
    public boolean isBetter(double candidate, double best) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate > best : candidate < best;
    }

    @Override
    public String toString() {
        return id;
    }
}
