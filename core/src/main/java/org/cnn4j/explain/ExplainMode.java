package org.cnn4j.explain;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * A model being explained: eval mode (running statistics, no dropout) and frozen parameters (gradients flow to the
 * input and the captured layer only, never into weight gradients); both restored on close.
 */
final class ExplainMode implements AutoCloseable {
    private final Module model;
    private final boolean wasTraining;
    private final Map<Tensor, Boolean> requiresGrad = new LinkedHashMap<>();

    ExplainMode(Module model) {
        this.model = model;
        this.wasTraining = model.isTraining();
        for (Tensor p : model.parameters()) {
            requiresGrad.put(p, p.requiresGrad());
            p.requiresGrad(false); // not freezePrefix: that would also free gradients the caller may still need
        }
        model.eval();
    }

    @Override
    public void close() {
        requiresGrad.forEach((p, flag) -> p.requiresGrad(flag));
        model.train(wasTraining);
    }
}
