package org.cnn4j.train;

import java.util.List;

import org.cnn4j.data.Batch;

/**
 * Progress callbacks from a run ({@link Fit}); every method is optional. Epochs are 0-based in the arguments
 * and 1-based in {@link EpochResult#epoch()}; steps count from 1 within an epoch. Listeners are called on the
 * training thread, in the order they were added.
 */
public interface TrainListener {
    /** Before the first epoch of this invocation (after a resume has been restored). */
    default void runStarted(RunInfo info) {
    }

    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** Before the step that trains on {@code batch} (e.g. to show a sample of the inputs); do not modify it. */
    default void batchLoaded(int epoch, int step, Batch batch) {
    }

    /** After each step; {@code loss} is the batch's mean loss (NaN or infinite when the step was skipped). */
    default void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
    }

    /** A step whose update was not applied, and why (a non-finite loss or gradient, or a hook's choice). */
    default void stepSkipped(int epoch, int step, String reason) {
    }

    default void evaluationStarted(int epoch, int batches) {
    }

    /** The test-set metrics of an epoch, with the confusion matrix; called just before {@link #epochFinished}. */
    default void evaluationFinished(int epoch, ClassificationMetrics test) {
    }

    default void epochFinished(EpochResult result) {
    }

    /** Something the user should read: early stopping, a learning-rate reduction, a diverging loss. */
    default void note(String message) {
    }

    /** After the last epoch of this invocation, when the run ended without an exception. */
    default void runFinished(FitResult result) {
    }

    /** A listener that forwards every callback to {@code first}, then {@code second}. */
    static TrainListener both(TrainListener first, TrainListener second) {
        return all(List.of(first, second));
    }

    /** A listener that forwards every callback to each of {@code listeners} in order. */
    static TrainListener all(List<TrainListener> listeners) {
        List<TrainListener> copy = List.copyOf(listeners);
        return new TrainListener() {
            @Override
            public void runStarted(RunInfo info) {
                copy.forEach(l -> l.runStarted(info));
            }

            @Override
            public void epochStarted(int epoch, int epochs, int steps) {
                copy.forEach(l -> l.epochStarted(epoch, epochs, steps));
            }

            @Override
            public void batchLoaded(int epoch, int step, Batch batch) {
                copy.forEach(l -> l.batchLoaded(epoch, step, batch));
            }

            @Override
            public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
                copy.forEach(l -> l.stepFinished(epoch, step, steps, loss, imagesPerSecond));
            }

            @Override
            public void stepSkipped(int epoch, int step, String reason) {
                copy.forEach(l -> l.stepSkipped(epoch, step, reason));
            }

            @Override
            public void evaluationStarted(int epoch, int batches) {
                copy.forEach(l -> l.evaluationStarted(epoch, batches));
            }

            @Override
            public void evaluationFinished(int epoch, ClassificationMetrics test) {
                copy.forEach(l -> l.evaluationFinished(epoch, test));
            }

            @Override
            public void epochFinished(EpochResult result) {
                copy.forEach(l -> l.epochFinished(result));
            }

            @Override
            public void note(String message) {
                copy.forEach(l -> l.note(message));
            }

            @Override
            public void runFinished(FitResult result) {
                copy.forEach(l -> l.runFinished(result));
            }
        };
    }
}
