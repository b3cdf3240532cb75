package org.cnn4j.train;

import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Reduction;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Trains and evaluates a classifier with cross-entropy. Deterministic given the seed: the loader's order and
 * augmentation depend only on (seed, epoch, batch), and every Dropout module is reseeded from (seed, epoch)
 * at the start of each epoch, so resuming at epoch k reproduces an uninterrupted run.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final Backend backend;
    private final float labelSmoothing;
    private final long seed;
    private final TrainListener listener;

    /** @param schedule learning rate per optimizer step (counted from 0 over the whole run), or null for none */
    public Trainer(Module model, Optimizer optimizer, LrSchedule schedule, Backend backend, float labelSmoothing,
                   long seed, TrainListener listener) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.backend = backend;
        this.labelSmoothing = labelSmoothing;
        this.seed = seed;
        this.listener = listener == null ? new TrainListener() { } : listener;
    }

    /** Result of one pass over the training set. */
    public record TrainStats(double loss, double accuracy, long images, double seconds, double lastLr) {
    }

    /** Runs epoch {@code epoch} (0-based) of the loader; {@code epochs} is only reported to the listener. */
    public TrainStats trainEpoch(DataLoader loader, int epoch, int epochs, int numClasses) {
        int steps = loader.batchesPerEpoch();
        reseedDropout(epoch);
        model.train();
        listener.epochStarted(epoch, epochs, steps);
        ClassificationMetrics metrics = new ClassificationMetrics(numClasses);
        long start = System.nanoTime();
        double lr = optimizer.getLr();
        try (DataLoader.Epoch batches = loader.epoch(epoch)) {
            int step = 0;
            while (batches.hasNext()) {
                Batch batch = batches.next();
                if (schedule != null) {
                    lr = schedule.lr(epoch * steps + step);
                    optimizer.setLr(lr);
                }
                double loss = trainStep(batch, metrics);
                step++;
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.stepFinished(epoch, step, steps, loss, metrics.count() / Math.max(seconds, 1e-9));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainStats(metrics.loss(), metrics.top1(), metrics.count(), seconds, lr);
    }

    private double trainStep(Batch batch, ClassificationMetrics metrics) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.of(backend, batch.data(), Shape.of(batch.dims()));
            Tensor logits = model.call(x);
            Tensor loss = Losses.crossEntropy(logits, batch.labels(), Reduction.MEAN, labelSmoothing);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("training diverged: the loss became " + value
                        + " (try a lower --lr)");
            }
            metrics.update(logits.toFloatArray(), batch.labels(), value);
            return value;
        }
    }

    /** Evaluates in eval mode under NoGrad, restoring the previous mode afterwards. */
    public ClassificationMetrics evaluate(DataLoader loader, int epoch, int numClasses) {
        boolean wasTraining = model.isTraining();
        model.eval();
        ClassificationMetrics metrics = new ClassificationMetrics(numClasses);
        listener.evaluationStarted(epoch, loader.batchesPerEpoch());
        try (NoGrad ng = NoGrad.enter(); DataLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor x = Tensor.of(backend, batch.data(), Shape.of(batch.dims()));
                    Tensor logits = model.call(x);
                    Tensor loss = Losses.crossEntropy(logits, batch.labels(), Reduction.MEAN, 0f);
                    metrics.update(logits.toFloatArray(), batch.labels(), loss.item());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return metrics;
    }

    private void reseedDropout(int epoch) {
        int index = 0;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Dropout d) {
                d.setSeed(seed * 1_000_003L + epoch * 7919L + index++);
            }
        }
    }
}
