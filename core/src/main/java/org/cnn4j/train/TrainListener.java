package org.cnn4j.train;

import org.cnn4j.data.Batch;

/** Progress callbacks from {@link Trainer}; all methods are optional. */
public interface TrainListener {
    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /**
     * Before each optimizer step, with the batch it trains on; {@code step} counts the steps already done this
     * epoch (0 for the first). The batch is host data shared with the step: read it, never change it.
     */
    default void batchStarted(int epoch, int step, Batch batch) {
    }

    /** After each optimizer step; {@code loss} is the step's mean loss. */
    default void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
    }

    default void evaluationStarted(int epoch, int batches) {
    }

    /** After each evaluation, with its metrics (the confusion matrix included). */
    default void evaluationFinished(int epoch, ClassificationMetrics metrics) {
    }

    default void epochFinished(EpochResult result) {
    }

    /** A listener that forwards every callback to {@code first}, then {@code second}. */
    static TrainListener both(TrainListener first, TrainListener second) {
        return new TrainListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps) {
                first.epochStarted(epoch, epochs, steps);
                second.epochStarted(epoch, epochs, steps);
            }

            @Override
            public void batchStarted(int epoch, int step, Batch batch) {
                first.batchStarted(epoch, step, batch);
                second.batchStarted(epoch, step, batch);
            }

            @Override
            public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
                first.stepFinished(epoch, step, steps, loss, imagesPerSecond);
                second.stepFinished(epoch, step, steps, loss, imagesPerSecond);
            }

            @Override
            public void evaluationStarted(int epoch, int batches) {
                first.evaluationStarted(epoch, batches);
                second.evaluationStarted(epoch, batches);
            }

            @Override
            public void evaluationFinished(int epoch, ClassificationMetrics metrics) {
                first.evaluationFinished(epoch, metrics);
                second.evaluationFinished(epoch, metrics);
            }

            @Override
            public void epochFinished(EpochResult result) {
                first.epochFinished(result);
                second.epochFinished(result);
            }
        };
    }
}
