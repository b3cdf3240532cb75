package org.cnn4j.train;

import java.util.List;
import java.util.Locale;

import org.cnn4j.backend.Backend;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.SeededRandomness;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Reduction;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One training epoch: forward, cross-entropy, backward, the gradient hooks, the finiteness check and the
 * optimizer step, with gradient accumulation over {@link TrainConfig#accumulationSteps()} batches. Deterministic
 * given the seed: the loader's order and augmentation depend only on (seed, epoch, batch), and every Dropout and
 * StochasticDepth is reseeded from (seed, epoch) at the start of each epoch ({@link SeededRandomness}), so resuming at
 * epoch k reproduces an uninterrupted run.
 */
final class EpochLoop {
    /** A loss this many times that of a uniform guess (ln of the class count) is reported as diverging. */
    static final double DIVERGING_LOSS_FACTOR = 100;

    /** What one pass over the training set produced. */
    record Stats(double loss, double accuracy, long images, double seconds, double lastLr, long skippedSteps) {
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Backend backend;
    private final TrainConfig config;
    private final TrainListener listener;
    private final List<GradientHook> hooks;
    private final Ema ema;
    private final LearningRates rates;
    private final List<Tensor> trainable;
    private final int numClasses;

    EpochLoop(Module model, Optimizer optimizer, Backend backend, TrainConfig config, TrainListener listener,
              List<GradientHook> hooks, Ema ema, LearningRates rates, int numClasses) {
        this.model = model;
        this.optimizer = optimizer;
        this.backend = backend;
        this.config = config;
        this.listener = listener;
        this.hooks = List.copyOf(hooks);
        this.ema = ema;
        this.rates = rates;
        this.trainable = optimizer.paramGroups().stream().flatMap(g -> g.params().stream()).toList();
        this.numClasses = numClasses;
    }

    /** Optimizer steps per epoch of {@code batches} batches. */
    static int updatesPerEpoch(int batches, int accumulation) {
        return (batches + accumulation - 1) / accumulation;
    }

    Stats run(DataLoader loader, int epoch) {
        int steps = loader.batchesPerEpoch();
        int accumulation = config.accumulationSteps();
        long firstUpdate = (long) epoch * updatesPerEpoch(steps, accumulation);
        reseedRandomLayers(epoch);
        model.train();
        listener.epochStarted(epoch, config.epochs(), steps);
        ClassificationMetrics metrics = new ClassificationMetrics(numClasses);
        long start = System.nanoTime();
        long skipped = 0;
        boolean warned = false;
        double divergingLoss = DIVERGING_LOSS_FACTOR * Math.log(Math.max(2, numClasses));
        String problem = null;
        try (DataLoader.Epoch batches = loader.epoch(epoch)) {
            int step = 0;
            while (batches.hasNext()) {
                Batch batch = batches.next();
                int groupStart = step / accumulation * accumulation;
                int groupSize = Math.min(accumulation, steps - groupStart);
                long update = firstUpdate + step / accumulation;
                if (step == groupStart) {
                    optimizer.zeroGrad();
                    rates.apply(optimizer, update);
                    problem = null;
                }
                listener.batchLoaded(epoch, step + 1, batch);
                double loss = forwardBackward(batch, metrics, groupSize, problem == null,
                        step + 1 == groupStart + groupSize);
                if (!Double.isFinite(loss) && problem == null) {
                    problem = "the loss is " + loss;
                }
                step++;
                if (step == groupStart + groupSize && !finishUpdate(epoch, step, update, problem)) {
                    skipped++;
                }
                if (!warned && loss > divergingLoss) {
                    warned = true;
                    listener.note(String.format(Locale.ROOT, "epoch %d step %d: loss %.3g is over %.0fx that of a"
                            + " uniform guess (%.3g); training is diverging: lower the learning rate (now %.3g)",
                            epoch + 1, step, loss, DIVERGING_LOSS_FACTOR, Math.log(numClasses), rates.current()));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.stepFinished(epoch, step, steps, loss, metrics.count() / Math.max(seconds, 1e-9));
            }
        }
        if (skipped > 0) {
            listener.note(String.format(Locale.ROOT, "epoch %d: skipped %d of %d optimizer steps", epoch + 1, skipped,
                    updatesPerEpoch(steps, accumulation)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Stats(metrics.loss(), metrics.top1(), metrics.count(), seconds, rates.current(), skipped);
    }

    /**
     * Forward and loss (cross-entropy, against the batch's soft targets when MixUp or CutMix made them, plus the
     * weighted auxiliary heads' losses: {@link TrainingLoss}) for one batch, and backward of
     * {@code loss / groupSize} (times the hooks' loss scale) when {@code backward} is set and the loss is finite
     * ({@code completesUpdate}: the group's last batch); returns the batch's mean loss (auxiliary terms included, as
     * the loss that is minimised).
     */
    private double forwardBackward(Batch batch, ClassificationMetrics metrics, int groupSize, boolean backward,
                                   boolean completesUpdate) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.of(backend, batch.data(), Shape.of(batch.dims()));
            float smoothing = (float) config.labelSmoothing();
            TrainingLoss.Result out = TrainingLoss.of(model, x, logits -> batch.targets() != null
                    ? Losses.softCrossEntropy(logits, batch.targets(), Reduction.MEAN, smoothing)
                    : Losses.crossEntropy(logits, batch.labels(), Reduction.MEAN, smoothing));
            Tensor loss = out.loss();
            double value = loss.item();
            metrics.update(out.logits().toFloatArray(), batch.labels(), value);
            if (backward && Double.isFinite(value)) {
                double scale = 1.0 / groupSize;
                for (GradientHook h : hooks) {
                    scale *= h.lossScale();
                    h.beforeBackward(completesUpdate);
                }
                (scale == 1 ? loss : loss.mul((float) scale)).backward();
            }
            return value;
        }
    }

    /** Runs the hooks, checks the gradients and applies the step; returns whether it was applied. */
    private boolean finishUpdate(int epoch, int step, long update, String lossProblem) {
        String problem = lossProblem;
        boolean hooksAgree = true;
        if (problem == null) {
            for (GradientHook h : hooks) {
                hooksAgree &= h.afterBackward(trainable, update);
            }
            if (hooksAgree && !FiniteCheck.gradientsFinite(trainable)) {
                problem = "the gradients hold NaN or infinite values";
            }
        }
        boolean apply = problem == null && hooksAgree;
        if (apply) {
            optimizer.step();
            if (ema != null) {
                ema.update();
            }
        } else {
            optimizer.zeroGrad();
        }
        for (GradientHook h : hooks) {
            h.afterStep(update, apply);
        }
        if (problem != null) {
            String where = String.format(Locale.ROOT, "epoch %d step %d (learning rate %.3g): %s", epoch + 1, step,
                    rates.current(), problem);
            if (config.onNonFinite() == NonFinitePolicy.STOP) {
                throw new TrainingDivergedException("training diverged in " + where + "; this step was not applied."
                        + " Lower the learning rate, or skip such steps (on-non-finite policy skip, --on-nonfinite"
                        + " skip in cnn train)");
            }
            listener.stepSkipped(epoch, step, problem);
        } else if (!apply) {
            listener.stepSkipped(epoch, step, "a gradient hook skipped the step");
        }
        return apply;
    }

    /** Restarts every Dropout's and StochasticDepth's seed sequence from (seed, epoch, its place in the model). */
    private void reseedRandomLayers(int epoch) {
        int index = 0;
        for (Module m : model.namedModules().values()) {
            if (m instanceof SeededRandomness r) {
                r.setSeed(config.seed() * 1_000_003L + epoch * 7919L + index++);
            }
        }
    }
}
