package org.cnn4j.explain;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** The class score every method explains: the logit (before softmax) of the target class. */
final class Scores {
    private Scores() {
    }

    /** One input, [1, C, H, W] (or [1, C, L] for 1-D models), as each method expects. */
    static void checkInput(Tensor image) {
        if ((image.rank() != 4 && image.rank() != 3) || image.dim(0) != 1) {
            throw new IllegalArgumentException("explain: expected one input of shape [1, C, H, W] (or [1, C, L]), got "
                    + image.shape());
        }
    }

    /** The model's logits [N, classes]. */
    static Tensor logits(Module model, Tensor x) {
        Tensor y = model.call(x);
        if (y.rank() != 2) {
            throw new IllegalArgumentException("explain: the model must output class scores [N, classes], got "
                    + y.shape());
        }
        return y;
    }

    /** {@code requested}, checked against the number of classes, or the highest-scoring class when it is -1. */
    static int target(Tensor logits, int requested) {
        float[] row = logits.toFloatArray();
        int classes = logits.dim(1);
        if (requested >= 0) {
            if (requested >= classes) {
                throw new IllegalArgumentException("explain: class " + requested + " is out of range; the model has "
                        + classes + " classes (0.." + (classes - 1) + ")");
            }
            return requested;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Backpropagates the sum over rows of {@code logits[i, target]}. */
    static void backward(Tensor logits, int target) {
        int n = logits.dim(0), classes = logits.dim(1);
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            oneHot[i * classes + target] = 1f;
        }
        logits.backward(Tensor.of(logits.backend(), oneHot, Shape.of(n, classes)));
    }

    /** Height and width of a [N, C, H, W] or [N, C, L] (height 1) tensor. */
    static int[] plane(Tensor t) {
        return t.rank() == 4 ? new int[] {t.dim(2), t.dim(3)} : new int[] {1, t.dim(2)};
    }
}
