package org.cnn4j.train;

import org.cnn4j.backend.Backend;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Reduction;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Measures a classifier on a dataset: cross-entropy loss, top-1/top-5 accuracy and the confusion matrix, in eval
 * mode (running statistics, no dropout) under {@link NoGrad}; the model's mode is restored afterwards.
 */
public final class Evaluator {
    private final Module model;
    private final Backend backend;

    public Evaluator(Module model, Backend backend) {
        this.model = model;
        this.backend = backend;
    }

    /** One pass over {@code loader} (in its epoch-0 order). */
    public ClassificationMetrics evaluate(DataLoader loader, int numClasses) {
        boolean wasTraining = model.isTraining();
        model.eval();
        ClassificationMetrics metrics = new ClassificationMetrics(numClasses);
        try (NoGrad ng = NoGrad.enter(); DataLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor logits = model.call(Tensor.of(backend, batch.data(), Shape.of(batch.dims())));
                    Tensor loss = Losses.crossEntropy(logits, batch.labels(), Reduction.MEAN, 0f);
                    metrics.update(logits.toFloatArray(), batch.labels(), loss.item());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return metrics;
    }
}
