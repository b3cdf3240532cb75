package org.cnn4j.train;

import org.cnn4j.data.Batch;

/** Progress callbacks from {@link Trainer}; all methods are optional. */
public interface TrainListener {
    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** Before the step that trains on {@code batch} (e.g. to show a sample of the inputs); do not modify it. */
    default void batchLoaded(int epoch, int step, Batch batch) {
    }

    /** After each optimizer step; {@code loss} is the step's mean loss. */
    default void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
    }

    default void evaluationStarted(int epoch, int batches) {
    }

    /** The test-set metrics of an epoch, with the confusion matrix; called just before {@link #epochFinished}. */
    default void evaluationFinished(int epoch, ClassificationMetrics test) {
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
            public void batchLoaded(int epoch, int step, Batch batch) {
                first.batchLoaded(epoch, step, batch);
                second.batchLoaded(epoch, step, batch);
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
            public void evaluationFinished(int epoch, ClassificationMetrics test) {
                first.evaluationFinished(epoch, test);
                second.evaluationFinished(epoch, test);
            }

            @Override
            public void epochFinished(EpochResult result) {
                first.epochFinished(result);
                second.epochFinished(result);
            }
        };
    }
}
