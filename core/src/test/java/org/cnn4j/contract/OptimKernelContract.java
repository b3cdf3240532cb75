package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.cnn4j.contract.NumericAsserts.gaussian;

import org.cnn4j.backend.AdamParams;
import org.cnn4j.backend.SgdParams;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/**
 * Fused optimizer kernels against a double-precision transcription of torch.optim's single-tensor SGD and
 * Adam/AdamW, three steps with a fresh gradient each step, for every flag combination. Inputs are made on the
 * host and the reference is computed from them, never from values read back from the backend.
 */
public abstract class OptimKernelContract extends BackendTestBase {
    private static final int N = 37;
    private static final int STEPS = 3;

    @Test
    void sgdMatchesTorchFormulas() {
        for (float momentum : new float[] {0f, 0.9f}) {
            for (float dampening : new float[] {0f, 0.3f}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    if (nesterov && (momentum == 0f || dampening != 0f)) {
                        continue; // torch rejects Nesterov without momentum or with dampening
                    }
                    for (float wd : new float[] {0f, 0.01f}) {
                        checkSgd(new SgdParams(0.05f, momentum, dampening, nesterov, wd));
                    }
                }
            }
        }
    }

    private void checkSgd(SgdParams hp) {
        float[] p0 = gaussian(random, N);
        Tensor param = tensor(p0.clone(), N);
        Tensor buf = hp.momentum() == 0f ? null : Tensor.zeros(backend, Shape.of(N));
        double[] p = toDouble(p0);
        double[] b = new double[N];
        for (int step = 0; step < STEPS; step++) {
            float[] g = gaussian(random, N);
            backend.sgdUpdate(param, tensor(g, N), buf, hp, step == 0);
            for (int i = 0; i < N; i++) {
                double dp = g[i] + (double) hp.weightDecay() * p[i];
                if (hp.momentum() != 0f) {
                    b[i] = step == 0 ? dp : hp.momentum() * b[i] + (1.0 - hp.dampening()) * dp;
                    dp = hp.nesterov() ? dp + hp.momentum() * b[i] : b[i];
                }
                p[i] -= hp.lr() * dp;
            }
            assertClose("sgd " + hp + " step " + (step + 1) + " param", p, param.toFloatArray(), 1e-6, 1e-5);
            if (buf != null) {
                assertClose("sgd " + hp + " step " + (step + 1) + " buffer", b, buf.toFloatArray(), 1e-6, 1e-5);
            }
        }
    }

    @Test
    void adamMatchesTorchFormulas() {
        for (boolean decoupled : new boolean[] {false, true}) {
            for (float wd : new float[] {0f, 0.1f}) {
                checkAdam(0.01f, 0.9f, 0.999f, 1e-8f, wd, decoupled);
                checkAdam(0.003f, 0.8f, 0.99f, 1e-3f, wd, decoupled);
            }
        }
    }

    private void checkAdam(float lr, float beta1, float beta2, float eps, float wd, boolean decoupled) {
        float[] p0 = gaussian(random, N);
        Tensor param = tensor(p0.clone(), N);
        Tensor expAvg = Tensor.zeros(backend, Shape.of(N));
        Tensor expAvgSq = Tensor.zeros(backend, Shape.of(N));
        double[] p = toDouble(p0);
        double[] m = new double[N];
        double[] v = new double[N];
        for (int step = 1; step <= STEPS; step++) {
            float[] g = gaussian(random, N);
            AdamParams hp = new AdamParams(lr, beta1, beta2, eps, wd, decoupled, step);
            backend.adamUpdate(param, tensor(g, N), expAvg, expAvgSq, hp);
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            for (int i = 0; i < N; i++) {
                double grad = g[i];
                if (decoupled) {
                    p[i] *= 1 - (double) lr * wd;
                } else {
                    grad += (double) wd * p[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * grad;
                v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                p[i] -= lr / bc1 * m[i] / denom;
            }
            String what = "adam " + hp;
            assertClose(what + " param", p, param.toFloatArray(), 1e-6, 1e-5);
            assertClose(what + " exp_avg", m, expAvg.toFloatArray(), 1e-7, 1e-5);
            assertClose(what + " exp_avg_sq", v, expAvgSq.toFloatArray(), 1e-8, 1e-5);
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
