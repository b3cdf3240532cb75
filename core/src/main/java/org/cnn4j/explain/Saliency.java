package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;

/**
 * Vanilla gradient saliency (Simonyan et al. 2014): the largest absolute gradient of the class score over the
 * input's channels, {@code max_c |dS/dx[c,ij]|}, at input resolution.
 */
public final class Saliency {
    private Saliency() {
    }

    public static Heatmap compute(Module model, Tensor image, int target) {
        Scores.checkInput(image);
        try (ExplainMode mode = new ExplainMode(model); MemoryScope scope = MemoryScope.open()) {
            Tensor x = image.copy().requiresGrad(true);
            Tensor logits = Scores.logits(model, x);
            int cls = Scores.target(logits, target);
            Scores.backward(logits, cls);
            int[] hw = Scores.plane(image);
            int pixels = hw[0] * hw[1];
            float[] g = x.grad().toFloatArray();
            float[] map = new float[pixels];
            for (int c = 0; c < image.dim(1); c++) {
                for (int i = 0; i < pixels; i++) {
                    map[i] = Math.max(map[i], Math.abs(g[c * pixels + i]));
                }
            }
            return new Heatmap(map, hw[0], hw[1], cls);
        }
    }
}
