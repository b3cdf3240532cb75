package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;

/**
 * Integrated gradients (Sundararajan et al. 2017) from an all-zero baseline {@code x0}:
 * {@code IG[c,ij] = (x - x0)[c,ij] * mean_k dS/dx(x0 + a_k (x - x0))[c,ij]} with the midpoint rule
 * {@code a_k = (k + 1/2) / steps}; the map sums IG over channels (signed), at input resolution. Its total
 * approximates {@code S(x) - S(x0)} (completeness). Each scaled input runs through the model on its own, as one
 * prediction would: a batch would let the backend pick other convolution algorithms (the CPU's Winograd depends on
 * the output size), whose different rounding can flip a ReLU or a max-pool choice that sits within rounding of a
 * tie, and the map would then depend on the batch size.
 */
public final class IntegratedGradients {
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
            for (int k = 0; k < steps; k++) {
                double alpha = (k + 0.5) / steps;
                float[] scaled = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    scaled[i] = (float) (alpha * x[i]);
                }
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor xs = Tensor.of(image.backend(), scaled, image.shape()).requiresGrad(true);
                    Scores.backward(Scores.logits(model, xs), cls);
                    float[] g = xs.grad().toFloatArray();
                    for (int i = 0; i < x.length; i++) {
                        meanGrad[i] += g[i];
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
