package org.cnn4j.distributed;

import org.cnn4j.data.Batch;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.RunInfo;
import org.cnn4j.train.TrainListener;

/**
 * Passes every event on to {@code downstream}, with each step's loss replaced by its mean over the ranks: the loss
 * of the global batch (the ranks' shares are equal), so rank 0's progress and steps.csv show what a single process
 * with the whole batch would. Every rank must have one, as each step's loss is all-reduced. The loss travels as two
 * floats (the value and its rounding remainder), so the mean keeps about double precision.
 */
public final class GlobalStepLoss implements TrainListener {
    private final TrainListener downstream;
    private final Collective collective;

    public GlobalStepLoss(TrainListener downstream, Collective collective) {
        this.downstream = downstream;
        this.collective = collective;
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        float high = (float) loss;
        float[] parts = {high, (float) (loss - high)};
        collective.allReduce(parts, ReduceOp.SUM);
        double mean = ((double) parts[0] + parts[1]) / collective.worldSize();
        downstream.stepFinished(epoch, step, steps, mean, imagesPerSecond * collective.worldSize());
    }

    @Override
    public void runStarted(RunInfo info) {
        downstream.runStarted(info);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        downstream.epochStarted(epoch, epochs, steps);
    }

    @Override
    public void batchLoaded(int epoch, int step, Batch batch) {
        downstream.batchLoaded(epoch, step, batch);
    }

    @Override
    public void stepSkipped(int epoch, int step, String reason) {
        downstream.stepSkipped(epoch, step, reason);
    }

    @Override
    public void evaluationStarted(int epoch, int batches) {
        downstream.evaluationStarted(epoch, batches);
    }

    @Override
    public void evaluationFinished(int epoch, ClassificationMetrics test) {
        downstream.evaluationFinished(epoch, test);
    }

    @Override
    public void epochFinished(EpochResult result) {
        downstream.epochFinished(result);
    }

    @Override
    public void note(String message) {
        downstream.note(message);
    }

    @Override
    public void runFinished(FitResult result) {
        downstream.runFinished(result);
    }
}
