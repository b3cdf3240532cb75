package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Integrated gradients (Sundararajan et al. 2017) from an all-zero baseline {@code x0}:
 * {@code IG[c,ij] = (x - x0)[c,ij] * mean_k dS/dx(x0 + a_k (x - x0))[c,ij]} with the midpoint rule
 * {@code a_k = (k + 1/2) / steps}; the map sums IG over channels (signed), at input resolution. Its total
 * approximates {@code S(x) - S(x0)} (completeness). The scaled inputs run through the model in batches of
 * {@value #BATCH}, in eval mode, so batching does not change any value.
 */
public final class IntegratedGradients {
    static final int BATCH = 8;

    private IntegratedGradients() {
    }

    public static Heatmap compute(Module model, Tensor image, int target, int steps) {
        Scores.checkInput(image);
        if (steps < 1) {
            throw new IllegalArgumentException("integrated gradients: steps must be >= 1, got " + steps);
        }
        float[] x = image.toFloatArray();
        int[] hw = Scores.plane(image);
        int channels = image.dim(1), pixels = hw[0] * hw[1];
        double[] meanGrad = new double[x.length];
        int cls;
        try (ExplainMode mode = new ExplainMode(model)) {
            try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                cls = Scores.target(Scores.logits(model, image), target);
            }
            for (int first = 0; first < steps; first += BATCH) {
                int b = Math.min(BATCH, steps - first);
                float[] scaled = new float[b * x.length];
                for (int s = 0; s < b; s++) {
                    double alpha = (first + s + 0.5) / steps;
                    for (int i = 0; i < x.length; i++) {
                        scaled[s * x.length + i] = (float) (alpha * x[i]);
                    }
                }
                try (MemoryScope scope = MemoryScope.open()) {
                    int[] dims = image.shape().dims();
                    dims[0] = b;
                    Tensor batch = Tensor.of(image.backend(), scaled, Shape.of(dims)).requiresGrad(true);
                    Scores.backward(Scores.logits(model, batch), cls);
                    float[] g = batch.grad().toFloatArray();
                    for (int s = 0; s < b; s++) {
                        for (int i = 0; i < x.length; i++) {
                            meanGrad[i] += g[s * x.length + i];
                        }
                    }
                }
            }
        }
        float[] map = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += x[c * pixels + i] * meanGrad[c * pixels + i] / steps;
            }
            map[i] = (float) sum;
        }
        return new Heatmap(map, hw[0], hw[1], cls);
    }
}
