package org.cnn4j.train;

import java.util.List;

/**
 * How a run ended.
 *
 * @param history      every epoch of the run, including those before a resume
 * @param bestEpoch    the 1-based epoch with the best monitored value, or 0 when none was finite
 * @param bestValue    that value (NaN when none)
 * @param lastTest     the test metrics of the last epoch run by this invocation, or null when it ran none
 * @param skippedSteps steps whose update was skipped in this invocation
 * @param stopReason   why the run ended before its last epoch ("early stopping", "stop after N epochs"), or null
 */
public record FitResult(List<EpochResult> history, Metric monitor, int bestEpoch, double bestValue,
                        ClassificationMetrics lastTest, long skippedSteps, String stopReason) {
    public FitResult {
        history = List.copyOf(history);
    }

    /** Epochs completed in all, resumed ones included. */
    public int epochsDone() {
        return history.size();
    }
}
