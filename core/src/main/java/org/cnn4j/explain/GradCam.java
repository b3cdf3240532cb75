package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;

/**
 * Grad-CAM (Selvaraju et al. 2017) and Grad-CAM++ (Chattopadhay et al. 2018) at one layer. With activations
 * {@code A[k]} of the layer and gradients {@code G[k] = dS/dA[k]} of the class score S:
 * <ul>
 * <li>Grad-CAM: {@code w[k] = mean_ij G[k,ij]}, map {@code = ReLU(sum_k w[k] A[k])};</li>
 * <li>Grad-CAM++: {@code a[k,ij] = G^2 / (2 G^2 + (sum_ij A[k]) G^3 + 1e-6)} (0 where G = 0),
 * {@code w[k] = sum_ij a[k,ij] ReLU(G[k,ij])}, map as above; the closed form for an exponential score that the
 * paper derives, as pytorch-grad-cam computes it.</li>
 * </ul>
 * The map has the layer's resolution. Sums run in double precision.
 */
public final class GradCam {
    static final double PLUS_PLUS_EPS = 1e-6;

    private GradCam() {
    }

    /**
     * @param image one input [1, C, H, W] (or [1, C, L])
     * @param layer the qualified name of the layer to explain, e.g. {@code layer4} or {@code features.19}
     * @param target the class to explain, or -1 for the model's top class
     */
    public static Heatmap compute(Module model, Tensor image, String layer, int target, boolean plusPlus) {
        Scores.checkInput(image);
        try (ExplainMode mode = new ExplainMode(model); LayerCapture capture = new LayerCapture(model, layer);
             MemoryScope scope = MemoryScope.open()) {
            Tensor x = image.copy().requiresGrad(true);
            Tensor logits = Scores.logits(model, x);
            int cls = Scores.target(logits, target);
            Scores.backward(logits, cls);
            Tensor a = capture.output();
            if (a.rank() != 4 && a.rank() != 3) {
                throw new IllegalArgumentException("gradcam: layer '" + layer + "' outputs " + a.shape()
                        + "; Grad-CAM needs feature maps [1, K, h, w] (or [1, K, L]): pick a convolutional layer");
            }
            int[] hw = Scores.plane(a);
            float[] map = camFromGradients(a.toFloatArray(), capture.gradient().toFloatArray(), a.dim(1),
                    hw[0] * hw[1], plusPlus);
            return new Heatmap(map, hw[0], hw[1], cls);
        }
    }

    /** The map from one sample's activations and gradients, both [k, pixels]. */
    static float[] camFromGradients(float[] act, float[] grad, int channels, int pixels, boolean plusPlus) {
        double[] cam = new double[pixels];
        for (int k = 0; k < channels; k++) {
            int base = k * pixels;
            double weight = 0;
            if (plusPlus) {
                double sumA = 0;
                for (int i = 0; i < pixels; i++) {
                    sumA += act[base + i];
                }
                for (int i = 0; i < pixels; i++) {
                    double g = grad[base + i];
                    if (g != 0) {
                        double g2 = g * g;
                        double alpha = g2 / (2 * g2 + sumA * g2 * g + PLUS_PLUS_EPS);
                        weight += alpha * Math.max(g, 0);
                    }
                }
            } else {
                for (int i = 0; i < pixels; i++) {
                    weight += grad[base + i];
                }
                weight /= pixels;
            }
            for (int i = 0; i < pixels; i++) {
                cam[i] += weight * act[base + i];
            }
        }
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            out[i] = (float) Math.max(cam[i], 0);
        }
        return out;
    }
}
