package org.cnn4j.io.tensorboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.cnn4j.data.Batch;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.TrainListener;

/**
 * Logs a training run for TensorBoard. Every value is logged at the global optimizer step (epoch * steps per epoch
 * + step, counting from 1), so per-step and per-epoch charts share one x axis and a resumed run continues the
 * curves of the run it resumes:
 * <ul>
 * <li>{@code train/loss} after every step;</li>
 * <li>{@code train/accuracy}, {@code test/loss}, {@code test/accuracy} (accuracies in percent, as the console
 * prints them) and {@code lr} at the end of each epoch;</li>
 * <li>{@code test/confusion_matrix}, an image, after each evaluation;</li>
 * <li>{@code train/sample_batch}, an image of the first training batch this listener sees;</li>
 * <li>{@code weights/<parameter name>} histograms each epoch, when asked for.</li>
 * </ul>
 * Closing the listener closes its writer.
 */
public final class TensorBoardListener implements TrainListener, AutoCloseable {
    /** Buckets of each weight histogram. */
    public static final int HISTOGRAM_BUCKETS = 30;

    private final SummaryWriter writer;
    private final Supplier<Map<String, float[]>> weights;
    private int stepsPerEpoch;
    private boolean sampleLogged;

    /** @param weights named values to draw a histogram of each epoch, or null for none */
    public TensorBoardListener(SummaryWriter writer, Supplier<Map<String, float[]>> weights) {
        this.writer = writer;
        this.weights = weights;
    }

    /** A listener that draws a histogram of each of {@code model}'s parameters each epoch when asked to. */
    public static TensorBoardListener forModel(SummaryWriter writer, Module model, boolean histograms) {
        return new TensorBoardListener(writer, histograms ? () -> parameterValues(model) : null);
    }

    private static Map<String, float[]> parameterValues(Module model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            values.put(p.getKey(), p.getValue().toFloatArray());
        }
        return values;
    }

    public SummaryWriter writer() {
        return writer;
    }

    private long globalStep(int epoch, int step) {
        return (long) epoch * stepsPerEpoch + step;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        stepsPerEpoch = steps;
    }

    /** {@code step} counts from 1 within the epoch: the step about to train on {@code batch}. */
    @Override
    public void batchLoaded(int epoch, int step, Batch batch) {
        if (!sampleLogged) {
            sampleLogged = true;
            int[] d = batch.dims();
            writer.addImage("train/sample_batch", SummaryImages.batchGrid(batch.data(), d[0], d[1], d[2], d[3]),
                    globalStep(epoch, step));
        }
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        stepsPerEpoch = steps;
        writer.addScalar("train/loss", loss, globalStep(epoch, step));
    }

    @Override
    public void evaluationFinished(int epoch, ClassificationMetrics metrics) {
        writer.addImage("test/confusion_matrix", SummaryImages.confusionMatrix(metrics.confusion()),
                globalStep(epoch, stepsPerEpoch));
    }

    /** {@code result.epoch()} counts from 1, like the console and metrics.csv. */
    @Override
    public void epochFinished(EpochResult result) {
        long step = globalStep(result.epoch() - 1, stepsPerEpoch);
        writer.addScalars(step, new String[] {"train/accuracy", "test/loss", "test/accuracy", "lr"},
                new double[] {100 * result.trainAccuracy(), result.testLoss(), 100 * result.testAccuracy(),
                    result.lr()});
        if (weights != null) {
            for (Map.Entry<String, float[]> w : weights.get().entrySet()) {
                writer.addHistogram("weights/" + w.getKey(), w.getValue(), HISTOGRAM_BUCKETS, step);
            }
        }
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}
