package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Occlusion (Zeiler and Fergus 2014), with Captum's arithmetic: a {@code patch x patch} window of zeros (all
 * channels) slides over the input with the given stride, starting at the top-left corner and staying inside the
 * input; each pixel's value is the mean, over the windows that cover it, of {@code S(x) - S(x occluded)}. Pixels no
 * window covers get 0. The occluded inputs run in batches of {@value #BATCH} without gradients.
 */
public final class Occlusion {
    static final int BATCH = 16;

    private Occlusion() {
    }

    /** The default window: an eighth of the shorter side (at least 1), and half of it as the stride. */
    public static int defaultPatch(int height, int width) {
        return Math.max(1, Math.min(height, width) / 8);
    }

    public static Heatmap compute(Module model, Tensor image, int target, int patch, int stride) {
        Scores.checkInput(image);
        int[] hw = Scores.plane(image);
        int h = hw[0], w = hw[1];
        boolean oneD = image.rank() == 3;
        int ph = oneD ? 1 : patch, pw = patch;
        if (patch < 1 || stride < 1 || ph > h || pw > w) {
            throw new IllegalArgumentException("occlusion: expected 1 <= patch <= input size (" + h + "x" + w
                    + ") and stride >= 1, got patch " + patch + ", stride " + stride);
        }
        int rows = (h - ph) / stride + 1, cols = (w - pw) / stride + 1, windows = rows * cols;
        float[] x = image.toFloatArray();
        int channels = image.dim(1), pixels = h * w;
        double[] sum = new double[pixels];
        int[] count = new int[pixels];
        int cls;
        try (ExplainMode mode = new ExplainMode(model); NoGrad ng = NoGrad.enter()) {
            double base;
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor logits = Scores.logits(model, image);
                cls = Scores.target(logits, target);
                base = logits.toFloatArray()[cls];
            }
            for (int first = 0; first < windows; first += BATCH) {
                int b = Math.min(BATCH, windows - first);
                float[] batch = new float[b * x.length];
                for (int s = 0; s < b; s++) {
                    System.arraycopy(x, 0, batch, s * x.length, x.length);
                    int r0 = (first + s) / cols * stride, c0 = (first + s) % cols * stride;
                    for (int c = 0; c < channels; c++) {
                        for (int r = r0; r < r0 + ph; r++) {
                            java.util.Arrays.fill(batch, s * x.length + c * pixels + r * w + c0,
                                    s * x.length + c * pixels + r * w + c0 + pw, 0f);
                        }
                    }
                }
                float[] scores;
                int classes;
                try (MemoryScope scope = MemoryScope.open()) {
                    int[] dims = image.shape().dims();
                    dims[0] = b;
                    Tensor logits = Scores.logits(model, Tensor.of(image.backend(), batch, Shape.of(dims)));
                    scores = logits.toFloatArray();
                    classes = logits.dim(1);
                }
                for (int s = 0; s < b; s++) {
                    double diff = base - scores[s * classes + cls];
                    int r0 = (first + s) / cols * stride, c0 = (first + s) % cols * stride;
                    for (int r = r0; r < r0 + ph; r++) {
                        for (int c = c0; c < c0 + pw; c++) {
                            sum[r * w + c] += diff;
                            count[r * w + c]++;
                        }
                    }
                }
            }
        }
        float[] map = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            map[i] = count[i] == 0 ? 0f : (float) (sum[i] / count[i]);
        }
        return new Heatmap(map, h, w, cls);
    }
}
