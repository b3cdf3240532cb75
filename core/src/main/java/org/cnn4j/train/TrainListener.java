package org.cnn4j.train;

/** Progress callbacks from {@link Trainer}; all methods are optional. */
public interface TrainListener {
    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** After each optimizer step; {@code loss} is the step's mean loss. */
    default void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
    }

    default void evaluationStarted(int epoch, int batches) {
    }

    default void epochFinished(EpochResult result) {
    }
}
