package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.cnn4j.contract.NumericAsserts.awayFromZero;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cnn4j.backend.Activation;
import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Activations and (log-)softmax: hand-computed values and gradients. */
public abstract class ActivationContract extends BackendTestBase {

    @Test
    void activationValues() {
        float[] xv = {-2f, -0.5f, 0f, 0.5f, 3f};
        Tensor x = tensor(xv.clone(), 5);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 3f}, Activations.relu(x).toFloatArray());
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0f, 0.5f, 3f}, Activations.leakyRelu(x, 0.1f).toFloatArray());
        double[] sig = new double[5];
        double[] tanh = new double[5];
        for (int i = 0; i < 5; i++) {
            sig[i] = 1 / (1 + Math.exp(-xv[i]));
            tanh[i] = Math.tanh(xv[i]);
        }
        assertClose("sigmoid", sig, Activations.sigmoid(x).toFloatArray(), 0, 1e-6);
        assertClose("tanh", tanh, Activations.tanh(x).toFloatArray(), 0, 1e-6);
    }

    @Test
    void geluIsExactIncludingTheTail() {
        // x * Phi(x), Phi from tabulated normal CDF values (scipy.stats.norm.cdf)
        float[] xv = {-5f, -3f, -1f, 0f, 0.5f, 1f, 2f, 6f};
        Tensor x = tensor(xv.clone(), 8);
        double[] phi = {2.866515718791939e-07, 1.3498980316300946e-03, 0.15865525393145707, 0.5,
            0.6914624612740131, 0.8413447460685429, 0.9772498680518208, 0.9999999990134123};
        double[] expected = new double[xv.length];
        for (int i = 0; i < xv.length; i++) {
            expected[i] = xv[i] * phi[i];
        }
        // relative 1e-6 at x=-5 (value ~1e-6) rules out approximations such as tanh-GELU or A&S 7.1.26
        assertClose("gelu", expected, Activations.gelu(x).toFloatArray(), 0, 1e-6);
    }

    @Test
    void activationGradients() {
        for (Activation act : Activation.values()) {
            float alpha = act == Activation.LEAKY_RELU ? 0.1f : 0f;
            Tensor p = awayFromZero(backend, random, 3, 4, 5);
            GradCheck.check(act.name(), in -> Activations.activation(act, alpha, in[0]), p);
        }
        GradCheck.check("gelu wide range", in -> Activations.gelu(in[0]),
                tensor(new float[] {-6f, -4f, -2.5f, -0.3f, 0.3f, 2.5f, 4f}, 7).requiresGrad(true));
    }

    @Test
    void softmaxValuesAreStable() {
        Tensor x = tensor(new float[] {1, 2, 3, 1000, 1001, 1002}, 2, 3);
        double[] p = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
        double[] both = {p[0], p[1], p[2], p[0], p[1], p[2]};
        assertClose("softmax", both, Activations.softmax(x).toFloatArray(), 0, 1e-6);
        double[] logBoth = new double[6];
        for (int i = 0; i < 6; i++) {
            logBoth[i] = Math.log(both[i]);
        }
        assertClose("log_softmax", logBoth, Activations.logSoftmax(x).toFloatArray(), 0, 1e-6);
    }

    @Test
    void softmaxGradients() {
        GradCheck.check("softmax", in -> Activations.softmax(in[0]), param(4, 5));
        GradCheck.check("log_softmax", in -> Activations.logSoftmax(in[0]), param(4, 5));
        GradCheck.check("softmax 3d", in -> Activations.softmax(in[0]), param(2, 3, 4));
        GradCheck.check("log_softmax 3d", in -> Activations.logSoftmax(in[0]), param(2, 3, 4));
    }
}
