package org.cnn4j.cpu;

import org.cnn4j.backend.AdamParams;
import org.cnn4j.backend.SgdParams;

/**
 * Fused optimizer updates with torch.optim's single-tensor formulas, each element computed in double and
 * stored as float.
 */
final class CpuOptim {
    private CpuOptim() {
    }

    /**
     * {@code d = g + wd*p}; with momentum {@code buf = firstStep ? d : m*buf + (1-dampening)*d} and
     * {@code d = nesterov ? d + m*buf : buf}; then {@code p -= lr*d}.
     */
    static void sgd(float[] param, float[] grad, float[] momentumBuf, SgdParams p, boolean firstStep) {
        double lr = p.lr();
        double wd = p.weightDecay();
        double m = p.momentum();
        double keep = 1.0 - p.dampening();
        boolean useMomentum = m != 0 && momentumBuf != null;
        boolean nesterov = p.nesterov();
        CpuThreads.parallelFor(param.length, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                double d = grad[i] + wd * param[i];
                if (useMomentum) {
                    double buf = firstStep ? d : m * momentumBuf[i] + keep * d;
                    momentumBuf[i] = (float) buf;
                    d = nesterov ? d + m * buf : buf;
                }
                param[i] = (float) (param[i] - lr * d);
            }
        });
    }

    /**
     * Adam: {@code g += wd*p} (AdamW instead {@code p *= 1 - lr*wd}); {@code m = b1 m + (1-b1) g},
     * {@code v = b2 v + (1-b2) g^2}; {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}.
     */
    static void adam(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, AdamParams p) {
        double lr = p.lr();
        double wd = p.weightDecay();
        double b1 = p.beta1();
        double b2 = p.beta2();
        double eps = p.eps();
        boolean decoupled = p.decoupled();
        double stepSize = lr / (1.0 - Math.pow(b1, p.step()));
        double correction2Sqrt = Math.sqrt(1.0 - Math.pow(b2, p.step()));
        CpuThreads.parallelFor(param.length, 30, (from, to) -> {
            for (int i = from; i < to; i++) {
                double w = param[i];
                double g = grad[i];
                if (decoupled) {
                    w *= 1.0 - lr * wd;
                } else {
                    g += wd * w;
                }
                double m = b1 * expAvg[i] + (1.0 - b1) * g;
                double v = b2 * expAvgSq[i] + (1.0 - b2) * g * g;
                expAvg[i] = (float) m;
                expAvgSq[i] = (float) v;
                param[i] = (float) (w - stepSize * m / (Math.sqrt(v) / correction2Sqrt + eps));
            }
        });
    }
}
