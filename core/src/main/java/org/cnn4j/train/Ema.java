package org.cnn4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.Tensor;

/**
 * An exponential moving average of a model's weights, {@code avg = decay * avg + (1 - decay) * w} after every
 * optimizer step, over every parameter and floating-point buffer (BatchNorm's running statistics), as timm's
 * ModelEmaV2; integer buffers (num_batches_tracked) are copied. The average starts as a copy of the weights.
 * The average tensors are owned here and freed by {@link #close()}.
 */
public final class Ema implements AutoCloseable {
    private final Module model;
    private final double decay;
    private final Map<String, Tensor> average = new LinkedHashMap<>();
    private final Set<String> integers;

    public Ema(Module model, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("Ema: decay must be in (0, 1), got " + decay);
        }
        this.model = model;
        this.decay = decay;
        this.integers = model.integerBufferNames();
        model.stateDict().forEach((k, v) -> average.put(k, v.copy().persist()));
    }

    /** Folds the model's current weights into the average. */
    public void update() {
        Map<String, Tensor> live = model.stateDict();
        for (Map.Entry<String, Tensor> e : average.entrySet()) {
            Tensor w = live.get(e.getKey());
            Tensor avg = e.getValue();
            if (integers.contains(e.getKey())) {
                avg.copyFrom(w);
                continue;
            }
            Backend be = avg.backend();
            try (Tensor part = Tensor.empty(be, w.shape())) {
                be.scalar(ScalarOp.MUL, avg, (float) decay, avg);
                be.scalar(ScalarOp.MUL, w, (float) (1 - decay), part);
                be.binary(BinaryOp.ADD, avg, part, avg);
            }
        }
    }

    /** The averaged weights under the model's state-dict keys (live tensors, not copies). */
    public Map<String, Tensor> averaged() {
        return Collections.unmodifiableMap(average);
    }

    /** Sets the average (e.g. from a checkpoint); every key must be present with its shape. */
    public void load(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : average.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null || !src.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("Ema.load: " + (src == null ? "no tensor " : "wrong shape for ")
                        + Names.quote(e.getKey()));
            }
        }
        average.forEach((k, v) -> v.copyFrom(state.get(k)));
    }

    /**
     * Exchanges the model's weights with the average: the model then holds the average (e.g. to evaluate it)
     * and this the trained weights; a second call puts everything back.
     */
    public void exchange() {
        Map<String, Tensor> live = model.stateDict();
        for (Map.Entry<String, Tensor> e : average.entrySet()) {
            Tensor w = live.get(e.getKey());
            try (Tensor saved = w.copy()) {
                w.copyFrom(e.getValue());
                e.getValue().copyFrom(saved);
            }
        }
    }

    public double decay() {
        return decay;
    }

    @Override
    public void close() {
        average.values().forEach(Tensor::close);
        average.clear();
    }
}
