package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.GradClip;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/** Optimizer updates against PyTorch's formulas (double-precision host references), state save/restore, clipping. */
public abstract class OptimizerContract extends BackendTestBase {
    private static final int STEPS = 4;
    private static final int N = 7;

    /** Host reference of one parameter's update; state arrays are indexed [buffer][element]. */
    interface Reference {
        void step(double[] p, double[] g, double[][] state, int t);
    }

    private float[][] grads() {
        float[][] g = new float[STEPS][N];
        for (float[] row : g) {
            for (int i = 0; i < N; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return g;
    }

    private void checkAgainstReference(Function<List<Tensor>, Optimizer> make, Reference ref, int buffers) {
        float[] init = new float[N];
        for (int i = 0; i < N; i++) {
            init[i] = (float) random.nextGaussian();
        }
        float[][] grads = grads();
        Tensor p = Tensor.of(backend, init, Shape.of(N)).requiresGrad(true);
        double[] expected = new double[N];
        for (int i = 0; i < N; i++) {
            expected[i] = init[i];
        }
        double[][] state = new double[buffers][N];
        try (Optimizer opt = make.apply(List.of(p))) {
            for (int t = 1; t <= STEPS; t++) {
                p.setGrad(Tensor.of(backend, grads[t - 1], Shape.of(N)).persist());
                opt.step();
                opt.zeroGrad();
                double[] g = new double[N];
                for (int i = 0; i < N; i++) {
                    g[i] = grads[t - 1][i];
                }
                ref.step(expected, g, state, t);
                float[] got = p.toFloatArray();
                for (int i = 0; i < N; i++) {
                    assertEquals(expected[i], got[i], 1e-6 + 1e-5 * Math.abs(expected[i]),
                            opt.name() + " step " + t + " element " + i);
                }
            }
        }
    }

    @Test
    void sgdNesterovWithWeightDecayMatchesPyTorchFormula() {
        double lr = 0.05, mom = 0.9, wd = 1e-2;
        checkAgainstReference(ps -> new SGD(ps, lr, mom, 0, wd, true), (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                s[0][i] = t == 1 ? d : mom * s[0][i] + d;
                p[i] -= lr * (d + mom * s[0][i]);
            }
        }, 1);
    }

    @Test
    void sgdWithDampeningMatchesPyTorchFormula() {
        double lr = 0.1, mom = 0.5, damp = 0.3;
        checkAgainstReference(ps -> new SGD(ps, lr, mom, damp, 0, false), (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = t == 1 ? g[i] : mom * s[0][i] + (1 - damp) * g[i];
                p[i] -= lr * s[0][i];
            }
        }, 1);
    }

    private static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        return (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    gi += wd * p[i];
                }
                s[0][i] = b1 * s[0][i] + (1 - b1) * gi;
                s[1][i] = b2 * s[1][i] + (1 - b2) * gi * gi;
                double denom = Math.sqrt(s[1][i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                p[i] -= lr / (1 - Math.pow(b1, t)) * s[0][i] / denom;
            }
        };
    }

    @Test
    void adamMatchesPyTorchFormula() {
        checkAgainstReference(ps -> new Adam(ps, new Adam.Options(0.01, 0.8, 0.99, 1e-8, 0.1)),
                adam(0.01, 0.8, 0.99, 1e-8, 0.1, false), 2);
    }

    @Test
    void adamWDecouplesWeightDecayWithDefault001() {
        checkAgainstReference(ps -> new AdamW(ps, 0.01), adam(0.01, 0.9, 0.999, 1e-8, 0.01, true), 2);
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Tensor a = param(3);
        Tensor b = param(3);
        float[] before = b.toFloatArray();
        try (Optimizer opt = new AdamW(List.of(a, b), 0.1)) {
            a.setGrad(Tensor.full(backend, Shape.of(3), 1f).persist());
            opt.step();
            assertArrayEquals(before, b.toFloatArray());
            assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq"), List.copyOf(opt.stateDict().keySet()));
            assertEquals("1", opt.stateMetadata().get("state.0.step"));
            opt.zeroGrad();
        }
    }

    /**
     * Save after three steps, restore into a fresh optimizer (whose learning rate was changed, so the load must
     * restore it) over copies of the saved parameters, run two more steps: the result must equal, bit for bit, an
     * optimizer that ran all five steps without ever being saved or loaded. So a loader that drops step counts,
     * moments, momentum buffers or learning rates fails here, even though saving and loading agree.
     */
    @Test
    void stateDictRestoresTrainingExactly() {
        for (Function<List<Tensor>, Optimizer> make : List.<Function<List<Tensor>, Optimizer>>of(
                ps -> new SGD(ps, 0.05, 0.9, 0, 1e-4, true), ps -> new SGD(ps, 0.05, 0.9, 0.2, 0, false),
                ps -> new Adam(ps, 1e-2), ps -> new AdamW(ps, 1e-2))) {
            Tensor p1 = param(4, 3);
            Tensor p2 = param(5);
            try (Optimizer straight = make.apply(List.of(p1, p2))) {
                runSteps(straight, p1, p2, 3, 11);
                // save: copies of parameters, optimizer state and metadata, as a checkpoint holds them
                Tensor q1 = p1.copy().requiresGrad(true);
                Tensor q2 = p2.copy().requiresGrad(true);
                Map<String, Tensor> saved = new HashMap<>();
                straight.stateDict().forEach((k, v) -> saved.put(k, v.copy()));
                Map<String, String> meta = Map.copyOf(straight.stateMetadata());
                runSteps(straight, p1, p2, 2, 12);
                try (Optimizer restored = make.apply(List.of(q1, q2))) {
                    restored.setLr(0.01);
                    restored.loadStateDict(saved, meta);
                    runSteps(restored, q1, q2, 2, 12);
                    String what = straight.name() + " " + straight.stateMetadata();
                    assertArrayEquals(p1.toFloatArray(), q1.toFloatArray(), what);
                    assertArrayEquals(p2.toFloatArray(), q2.toFloatArray(), what);
                    assertEquals(straight.stateMetadata(), restored.stateMetadata());
                    assertEquals(straight.stateDict().keySet(), restored.stateDict().keySet(), what);
                    for (String k : straight.stateDict().keySet()) {
                        assertArrayEquals(straight.stateDict().get(k).toFloatArray(),
                                restored.stateDict().get(k).toFloatArray(), what + " " + k);
                    }
                }
            }
        }
    }

    private void runSteps(Optimizer opt, Tensor p1, Tensor p2, int steps, long seed) {
        java.util.Random r = new java.util.Random(seed);
        for (int s = 0; s < steps; s++) {
            p1.setGrad(Tensor.randn(backend, p1.shape(), r).persist());
            p2.setGrad(Tensor.randn(backend, p2.shape(), r).persist());
            opt.step();
            opt.zeroGrad();
        }
    }

    @Test
    void loadStateDictRejectsMismatches() {
        Tensor p = param(3);
        try (SGD sgd = new SGD(List.of(p), 0.1, 0.9); Adam adam = new Adam(List.of(p), 0.1)) {
            p.setGrad(Tensor.full(backend, Shape.of(3), 1f).persist());
            sgd.step();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> adam.loadStateDict(sgd.stateDict(), sgd.stateMetadata()));
            assertTrue(e.getMessage().contains("SGD") && e.getMessage().contains("Adam"), e.getMessage());
            Map<String, Tensor> wrong = Map.of("state.0.momentum_buffer", randn(4));
            e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(wrong, sgd.stateMetadata()));
            assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
            sgd.zeroGrad();
        }
    }

    @Test
    void learningRatesPerGroupAndGlobally() {
        Tensor a = param(2);
        Tensor b = param(2);
        try (SGD sgd = new SGD(SGD.Options.of(0.1), List.of(ParamGroup.of(List.of(a)),
                new ParamGroup(List.of(b), 0.5, null)))) {
            assertEquals(0.1, sgd.getLr(0));
            assertEquals(0.5, sgd.getLr(1));
            sgd.setLr(1, 0.25);
            assertEquals(0.25, sgd.getLr(1));
            sgd.setLr(0.01);
            assertEquals(0.01, sgd.getLr(1));
            float[] before = b.toFloatArray();
            b.setGrad(Tensor.full(backend, Shape.of(2), 1f).persist());
            sgd.step();
            assertEquals(before[0] - 0.01f, b.toFloatArray()[0], 1e-7);
            sgd.zeroGrad();
        }
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), 0.1, 0, 0.5, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, a), 0.1));
    }

    @Test
    void closeFreesOptimizerState() {
        Tensor p = param(1000);
        long before = backend.liveBytes();
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.full(backend, Shape.of(1000), 1f).persist());
        adam.step();
        p.zeroGrad();
        assertTrue(backend.liveBytes() > before);
        adam.close();
        assertEquals(before, backend.liveBytes());
    }

    @Test
    void clipGradNormScalesToTheGlobalNorm() {
        Tensor a = param(2);
        Tensor b = param(1);
        Tensor c = param(3);
        a.setGrad(Tensor.of(backend, new float[] {3, 0}, Shape.of(2)).persist());
        b.setGrad(Tensor.of(backend, new float[] {4}, Shape.of(1)).persist());
        List<Tensor> ps = List.of(a, b, c);
        assertEquals(5.0, GradClip.clipGradNorm(ps, 10), 1e-6);
        assertArrayEquals(new float[] {3, 0}, a.grad().toFloatArray(), "below the limit nothing changes");
        assertEquals(5.0, GradClip.clipGradNorm(ps, 1), 1e-6);
        float scale = (float) (1 / (5 + 1e-6));
        assertArrayEquals(new float[] {3 * scale, 0}, a.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {4 * scale}, b.grad().toFloatArray(), 1e-6f);
        assertEquals(1.0, GradClip.clipGradNorm(ps, 1), 1e-5);
        a.zeroGrad();
        b.zeroGrad();
    }
}
