package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.Normalization;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Batch normalisation: gradients in train and eval mode, running statistics, argument errors. */
public abstract class NormContract extends BackendTestBase {
    private static final float EPS = 1e-5f;

    private Tensor runningMean(int c) {
        return Tensor.zeros(backend, Shape.of(c));
    }

    private Tensor runningVar(int c) {
        return Tensor.full(backend, Shape.of(c), 1f);
    }

    @Test
    void trainingGradients() {
        int[][] shapes = {{4, 3, 5, 5}, {2, 3, 2, 2}, {8, 4}, {3, 2}};
        for (int[] s : shapes) {
            int c = s[1];
            Tensor rm = runningMean(c);
            Tensor rv = runningVar(c);
            GradCheck.check("batch_norm train " + Shape.of(s),
                    in -> Normalization.batchNorm(in[0], in[1], in[2], rm, rv, true, 0.1f, EPS),
                    param(s), param(c), param(c));
        }
    }

    @Test
    void evalGradients() {
        int[][] shapes = {{2, 3, 4, 4}, {5, 4}};
        for (int[] s : shapes) {
            int c = s[1];
            Tensor rm = randn(c);
            Tensor rv = Tensor.uniform(backend, Shape.of(c), 0.5f, 2f, random);
            GradCheck.check("batch_norm eval " + Shape.of(s),
                    in -> Normalization.batchNorm(in[0], in[1], in[2], rm, rv, false, 0.1f, EPS),
                    param(s), param(c), param(c));
        }
    }

    @Test
    void runningStatsAfterOneAndTwoSteps() {
        Tensor gamma = tensor(new float[] {2f}, 1);
        Tensor beta = tensor(new float[] {0.5f}, 1);
        Tensor rm = runningMean(1);
        Tensor rv = runningVar(1);
        Tensor y = Normalization.batchNorm(tensor(new float[] {1, 2, 3, 4}, 4, 1), gamma, beta, rm, rv, true, 0.1f,
                EPS);
        // mean 2.5, biased var 1.25 (normalisation), unbiased 5/3 (running var)
        double inv = 1 / Math.sqrt(1.25 + EPS);
        assertClose("y step 1", new double[] {-1.5 * inv * 2 + 0.5, -0.5 * inv * 2 + 0.5, 0.5 * inv * 2 + 0.5,
            1.5 * inv * 2 + 0.5}, y.toFloatArray(), 1e-6, 1e-6);
        assertClose("running mean 1", new double[] {0.25}, rm.toFloatArray(), 0, 1e-6);
        assertClose("running var 1", new double[] {0.9 + 0.1 * 5.0 / 3}, rv.toFloatArray(), 0, 1e-6);
        Normalization.batchNorm(tensor(new float[] {2, 4, 6, 8}, 2, 1, 1, 2), gamma, beta, rm, rv, true, 0.1f,
                EPS);
        // mean 5, unbiased var 20/3
        assertClose("running mean 2", new double[] {0.9 * 0.25 + 0.1 * 5}, rm.toFloatArray(), 0, 1e-6);
        double rv2 = 0.9 * (0.9 + 0.1 * 5.0 / 3) + 0.1 * 20.0 / 3;
        assertClose("running var 2", new double[] {rv2}, rv.toFloatArray(), 0, 1e-6);
        // eval uses the running statistics, and leaves them alone
        Tensor e = Normalization.batchNorm(tensor(new float[] {0, 1}, 2, 1), gamma, beta, rm, rv, false, 0.1f, EPS);
        double s = 2 / Math.sqrt(rv2 + EPS);
        assertClose("eval", new double[] {(0 - 0.725) * s + 0.5, (1 - 0.725) * s + 0.5}, e.toFloatArray(), 1e-6,
                1e-5);
        assertClose("running mean unchanged by eval", new double[] {0.725}, rm.toFloatArray(), 0, 1e-6);
    }

    @Test
    void perChannelStatisticsOfImageBatch() {
        // channel c of x is c + (sample index), so its batch mean is c + 0.5 whatever H, W
        int n = 2, c = 3, hw = 4;
        float[] v = new float[n * c * hw];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < hw; k++) {
                    v[(i * c + ch) * hw + k] = ch + i;
                }
            }
        }
        Tensor rm = runningMean(c);
        Tensor rv = runningVar(c);
        Tensor y = Normalization.batchNorm(tensor(v, n, c, 2, 2), Tensor.full(backend, Shape.of(c), 1f),
                Tensor.zeros(backend, Shape.of(c)), rm, rv, true, 1f, EPS);
        assertClose("running mean, momentum 1", new double[] {0.5, 1.5, 2.5}, rm.toFloatArray(), 0, 1e-6);
        double unbiased = 0.25 * 8 / 7;
        assertClose("running var, momentum 1", new double[] {unbiased, unbiased, unbiased}, rv.toFloatArray(), 0,
                1e-6);
        float[] out = y.toFloatArray();
        double z = 0.5 / Math.sqrt(0.25 + EPS);
        for (int i = 0; i < out.length; i++) {
            int sample = i / (c * hw);
            assertClose("y[" + i + "]", new double[] {sample == 0 ? -z : z}, new float[] {out[i]}, 1e-6, 1e-5);
        }
    }

    @Test
    void wrongParameterShapesNameOpExpectedAndActual() {
        Tensor x = randn(2, 3, 4, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(x, randn(4), randn(3),
                runningMean(3), runningVar(3), true, 0.1f, EPS));
        String m = e.getMessage();
        assertTrue(m.contains("batch_norm") && m.contains("weight") && m.contains("[3]") && m.contains("[4]"), m);
        var rank = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(randn(2, 3, 4),
                randn(3), randn(3), runningMean(3), runningVar(3), true, 0.1f, EPS));
        assertTrue(rank.getMessage().contains("batch_norm") && rank.getMessage().contains("[2, 3, 4]"),
                rank.getMessage());
    }

    @Test
    void oneValuePerChannelInTrainingIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(randn(1, 3), randn(3),
                randn(3), runningMean(3), runningVar(3), true, 0.1f, EPS));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("more than 1 value per channel")
                && e.getMessage().contains("[1, 3]"), e.getMessage());
    }
}
