package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Reduction;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Cross-entropy with label smoothing: values, gradients for every reduction, argument errors. */
public abstract class LossContract extends BackendTestBase {

    @Test
    void crossEntropyHandComputed() {
        Tensor logits = tensor(new float[] {0, 0, 0, 1, 2, 3}, 2, 3);
        // row 0: logp = log(1/3) everywhere; row 1: logsumexp(1,2,3) = 3.40760596
        double lse = 3.4076059644443806;
        Tensor none = Losses.crossEntropy(logits, new int[] {1, 0}, Reduction.NONE, 0f);
        assertEquals(Shape.of(2), none.shape());
        assertClose("nll", new double[] {Math.log(3), lse - 1}, none.toFloatArray(), 0, 1e-6);
        // smoothing 0.1: (1-s) * nll + s/C * sum_c(-logp_c)
        double smoothed1 = 0.9 * (lse - 1) + 0.1 / 3 * (3 * lse - 6);
        Tensor smooth = Losses.crossEntropy(logits, new int[] {1, 0}, Reduction.NONE, 0.1f);
        assertClose("smoothed", new double[] {Math.log(3), smoothed1}, smooth.toFloatArray(), 0, 1e-6);
        Tensor mean = Losses.crossEntropy(logits, new int[] {1, 0}, Reduction.MEAN, 0.1f);
        assertClose("mean", new double[] {(Math.log(3) + smoothed1) / 2}, mean.toFloatArray(), 0, 1e-6);
        Tensor sum = Losses.crossEntropy(logits, new int[] {1, 0}, Reduction.SUM, 0.1f);
        assertClose("sum", new double[] {Math.log(3) + smoothed1}, sum.toFloatArray(), 0, 1e-6);
    }

    @Test
    void crossEntropyGradients() {
        int[] labels = {0, 4, 2, 1, 4, 3};
        for (Reduction r : Reduction.values()) {
            for (float s : new float[] {0f, 0.1f}) {
                GradCheck.check("cross_entropy " + r + " smoothing " + s,
                        in -> Losses.crossEntropy(in[0], labels, r, s), param(6, 5));
            }
        }
    }

    @Test
    void softCrossEntropyOfOneHotTargetsIsCrossEntropyAndIsLinearInTheTargets() {
        float[] logitValues = {0.5f, -1, 2, 0, 1, 3, -2, 0.25f, 1.5f};
        Tensor logits = tensor(logitValues.clone(), 3, 3);
        int[] a = {2, 0, 1};
        int[] b = {0, 0, 2};
        float lam = 0.3f;
        float[] oneHot = new float[9];
        float[] mixed = new float[9];
        for (int i = 0; i < 3; i++) {
            oneHot[i * 3 + a[i]] = 1;
            mixed[i * 3 + a[i]] += lam;
            mixed[i * 3 + b[i]] += 1 - lam;
        }
        for (float s : new float[] {0f, 0.1f}) {
            float[] hard = Losses.crossEntropy(logits, a, Reduction.NONE, s).toFloatArray();
            // anchored to the host, so that two equally wrong device results cannot agree with each other
            assertClose("hard, smoothing " + s, hostCrossEntropy(logitValues, 3, a, s), hard, 1e-6, 1e-5);
            float[] soft = Losses.softCrossEntropy(logits, oneHot, Reduction.NONE, s).toFloatArray();
            assertClose("one-hot, smoothing " + s, hard, soft, 1e-6, 1e-6);
            // MixUp's loss: lam * CE(a) + (1 - lam) * CE(b), as torchvision's recipe computes it
            float[] ceB = Losses.crossEntropy(logits, b, Reduction.NONE, s).toFloatArray();
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) {
                expected[i] = lam * hard[i] + (1 - lam) * ceB[i];
            }
            assertClose("mixed, smoothing " + s, expected,
                    Losses.softCrossEntropy(logits, mixed, Reduction.NONE, s).toFloatArray(), 1e-6, 1e-6);
        }
    }

    /** Per-row {@code (1-s) * nll + s/C * sum_c(-log p_c)} in double precision. */
    private static double[] hostCrossEntropy(float[] logits, int classes, int[] labels, float s) {
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[i * classes + c]);
            }
            double sumExp = 0;
            for (int c = 0; c < classes; c++) {
                sumExp += Math.exp(logits[i * classes + c] - max);
            }
            double lse = max + Math.log(sumExp);
            double allNll = 0;
            for (int c = 0; c < classes; c++) {
                allNll += lse - logits[i * classes + c];
            }
            out[i] = (1 - s) * (lse - logits[i * classes + labels[i]]) + s / classes * allNll;
        }
        return out;
    }

    @Test
    void softCrossEntropyGradients() {
        float[] targets = new float[6 * 5];
        Random r = new Random(3);
        for (int i = 0; i < 6; i++) {
            double total = 0;
            for (int c = 0; c < 5; c++) {
                targets[i * 5 + c] = r.nextFloat();
                total += targets[i * 5 + c];
            }
            for (int c = 0; c < 5; c++) {
                targets[i * 5 + c] /= (float) total;
            }
        }
        for (Reduction red : Reduction.values()) {
            for (float s : new float[] {0f, 0.1f}) {
                GradCheck.check("soft_cross_entropy " + red + " smoothing " + s,
                        in -> Losses.softCrossEntropy(in[0], targets, red, s), param(6, 5));
            }
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softCrossEntropy(param(2, 3), new float[5], Reduction.MEAN, 0f));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("5 target values"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesOpAndRange() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(param(2, 3), new int[] {0, 3}));
        assertTrue(e.getMessage().contains("nll_loss") && e.getMessage().contains("label 3")
                && e.getMessage().contains("[0, 3)"), e.getMessage());
        var neg = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(param(2, 3), new int[] {-1, 0}));
        assertTrue(neg.getMessage().contains("label -1"), neg.getMessage());
    }

    @Test
    void labelCountMismatchNamesBothCounts() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(param(3, 4), new int[] {0, 1}));
        assertTrue(e.getMessage().contains("nll_loss") && e.getMessage().contains("3 rows")
                && e.getMessage().contains("2 labels"), e.getMessage());
        var rank = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(param(3, 4, 2), new int[] {0, 1, 2}));
        assertTrue(rank.getMessage().contains("cross_entropy") && rank.getMessage().contains("[3, 4, 2]"),
                rank.getMessage());
    }
}
