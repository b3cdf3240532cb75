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

    /** A listener that forwards every callback to {@code first}, then {@code second}. */
    static TrainListener both(TrainListener first, TrainListener second) {
        return new TrainListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps) {
                first.epochStarted(epoch, epochs, steps);
                second.epochStarted(epoch, epochs, steps);
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
            public void epochFinished(EpochResult result) {
                first.epochFinished(result);
                second.epochFinished(result);
            }
        };
    }
}
