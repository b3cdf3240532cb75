package org.cnn4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.ScalarOp;
import org.cnn4j.optim.Gradients;
import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.Tensor;

/** Checks for NaN and infinities: in weights before they are used, in gradients before a step applies them. */
public final class FiniteCheck {
    private FiniteCheck() {
    }

    /**
     * Whether every gradient of {@code params} is finite (parameters without a gradient are skipped). On the
     * device, {@code 0 * g} is 0 for a finite value and NaN for NaN or an infinity, so the sum of {@code 0 * g}
     * over all gradients is 0 exactly when all are finite: one scalar comes back to the host, and no sum of
     * large values can overflow into a false alarm.
     */
    public static boolean gradientsFinite(List<Tensor> params) {
        return Gradients.sum(params, (be, g, out) -> be.scalar(ScalarOp.MUL, g, 0f, out)) == 0;
    }

    /** NaN and infinite values of one tensor, counted on the host: {@code {nan, infinite}}. */
    public static long[] count(Tensor t) {
        long nan = 0;
        long inf = 0;
        for (float v : t.toFloatArray()) {
            if (Float.isNaN(v)) {
                nan++;
            } else if (Float.isInfinite(v)) {
                inf++;
            }
        }
        return new long[] {nan, inf};
    }

    /**
     * Fails when any of {@code tensors} holds NaN or an infinity, naming {@code source}, the first such tensor
     * and how many are affected: weights like that would only produce NaN outputs.
     */
    public static void requireFiniteWeights(Map<String, Tensor> tensors, String source) {
        List<String> bad = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long[] c = count(e.getValue());
            if (c[0] + c[1] > 0) {
                if (first == null) {
                    first = "tensor " + Names.quote(e.getKey()) + " holds " + c[0] + " NaN and " + c[1]
                            + " infinite values of " + e.getValue().numel();
                }
                bad.add(e.getKey());
            }
        }
        if (first != null) {
            throw new IllegalArgumentException(source + ": " + first + (bad.size() > 1 ? "; " + bad.size()
                    + " tensors are affected: " + Names.list(bad) : "") + "; weights must be finite numbers (was the"
                    + " run that saved them diverging?)");
        }
    }
}
