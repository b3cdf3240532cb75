package org.cnn4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.cnn4j.data.Batch;
import org.cnn4j.io.tensorboard.SummaryWriter;
import org.cnn4j.io.tensorboard.TensorBoardListener;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.RunInfo;
import org.cnn4j.train.TrainListener;

/**
 * TensorBoard events for a {@code cnn train} run: the event file is created when the run starts, in its output
 * folder (after the run holds it, so an events file never makes a fresh folder look used), and every event is
 * forwarded to a {@link TensorBoardListener}. A resumed run adds a new event file, which TensorBoard reads along
 * with the earlier ones.
 */
final class TensorBoardOutput implements TrainListener, AutoCloseable {
    private final boolean histograms;
    private TensorBoardListener listener;

    TensorBoardOutput(boolean histograms) {
        this.histograms = histograms;
    }

    @Override
    public void runStarted(RunInfo info) {
        if (info.outDir() == null) {
            return;
        }
        try {
            listener = TensorBoardListener.forModel(new SummaryWriter(info.outDir()), info.model(), histograms);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the TensorBoard event file in " + info.outDir() + ": "
                    + e.getMessage(), e);
        }
        listener.runStarted(info);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        if (listener != null) {
            listener.epochStarted(epoch, epochs, steps);
        }
    }

    @Override
    public void batchLoaded(int epoch, int step, Batch batch) {
        if (listener != null) {
            listener.batchLoaded(epoch, step, batch);
        }
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        if (listener != null) {
            listener.stepFinished(epoch, step, steps, loss, imagesPerSecond);
        }
    }

    @Override
    public void evaluationFinished(int epoch, ClassificationMetrics test) {
        if (listener != null) {
            listener.evaluationFinished(epoch, test);
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        if (listener != null) {
            listener.epochFinished(result);
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }
}
