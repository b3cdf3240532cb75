package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.cnn4j.explain.Explain;
import org.cnn4j.explain.GradCam;
import org.cnn4j.explain.Heatmap;
import org.cnn4j.explain.Method;
import org.cnn4j.nn.AdaptiveAvgPool1d;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/**
 * Sanity checks of the explanation methods on a small CNN trained to find a planted patch: a solid 4x4 square
 * (class 1) among noise and a checkerboard decoy of the same size and brightness that both classes carry. The
 * Grad-CAM maximum must fall on the square; the model randomisation test of Adebayo et al. (2018) requires the maps
 * of the same architecture with random weights to differ; integrated gradients must add up to the score change.
 * The net is trained once per test class (host copies of its weights) and loaded into each test's backend.
 */
public abstract class ExplainContract extends BackendTestBase {
    private static final int SIDE = 16;
    private static final int PATCH = 4;

    /** One image with its square (if any) at (row, col). */
    private record Example(float[] pixels, int label, int row, int col) {
    }

    private static Sequential patchNet() {
        return new Sequential(new Conv2d(1, 8, 3, 1, 1), new ReLU(), new Conv2d(8, 8, 3, 1, 1), new ReLU(),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 2));
    }

    private static Example example(Random r, int label) {
        float[] x = new float[SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.3f * r.nextFloat();
        }
        int row = r.nextInt(SIDE - PATCH + 1), col = r.nextInt(SIDE - PATCH + 1);
        int dRow, dCol;
        do { // the decoy does not touch the square
            dRow = r.nextInt(SIDE - PATCH + 1);
            dCol = r.nextInt(SIDE - PATCH + 1);
        } while (Math.abs(dRow - row) <= PATCH && Math.abs(dCol - col) <= PATCH);
        for (int i = 0; i < PATCH; i++) {
            for (int j = 0; j < PATCH; j++) {
                x[(dRow + i) * SIDE + dCol + j] = (i + j) % 2 == 0 ? 1f : 0f;
                if (label == 1) {
                    x[(row + i) * SIDE + col + j] = 1f;
                }
            }
        }
        return new Example(x, label, row, col);
    }

    private Tensor image(Example e) {
        return tensor(e.pixels(), 1, 1, SIDE, SIDE);
    }

    private static Map<String, float[]> trainedWeights;

    /** The trained net on this test's backend. */
    private Sequential trainedPatchNet() {
        if (trainedWeights == null) {
            Map<String, float[]> host = new LinkedHashMap<>();
            try (Sequential net = train()) {
                net.stateDict().forEach((k, t) -> host.put(k, t.toFloatArray()));
            }
            trainedWeights = host;
        }
        Sequential net = patchNet();
        net.stateDict().forEach((k, t) -> t.backend().write(t, trainedWeights.get(k), 0));
        net.eval();
        return net;
    }

    /** Trains until the test accuracy reaches 95% (checked, so the sanity checks explain a model that works). */
    private Sequential train() {
        Init.manualSeed(5);
        Sequential net = patchNet();
        Random r = new Random(9);
        try (Adam adam = new Adam(net.parameters(), 0.01)) {
            for (int step = 0; step < 300; step++) {
                float[] batch = new float[32 * SIDE * SIDE];
                int[] labels = new int[32];
                for (int i = 0; i < 32; i++) {
                    Example e = example(r, i % 2);
                    System.arraycopy(e.pixels(), 0, batch, i * SIDE * SIDE, SIDE * SIDE);
                    labels[i] = e.label();
                }
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor loss = Losses.crossEntropy(net.call(tensor(batch, 32, 1, SIDE, SIDE)), labels);
                    adam.zeroGrad();
                    loss.backward();
                    adam.step();
                }
            }
        }
        net.eval();
        int correct = 0;
        try (NoGrad ng = NoGrad.enter(); MemoryScope scope = MemoryScope.open()) {
            for (int i = 0; i < 200; i++) {
                Example e = example(r, i % 2);
                float[] logits = net.call(image(e)).toFloatArray();
                correct += (logits[1] > logits[0] ? 1 : 0) == e.label() ? 1 : 0;
            }
        }
        assertTrue(correct >= 190, "the patch net learned its task: " + correct + "/200");
        return net;
    }

    @Test
    void gradCamPointsAtThePlantedSquareNotTheDecoy() {
        try (Sequential net = trainedPatchNet()) {
            assertEquals("3", Explain.defaultLayer(net), "the ReLU after the last convolution");
            Tensor firstWeight = net.parameters().get(0);
            firstWeight.setGrad(Tensor.full(backend, firstWeight.shape(), 2f).persist());
            Random r = new Random(77);
            for (int n = 0; n < 20; n++) {
                Example e = example(r, 1);
                Heatmap map = GradCam.compute(net, image(e), "3", 1, false);
                assertEquals(SIDE, map.height());
                int at = map.argMax(), row = at / SIDE, col = at % SIDE;
                assertTrue(row >= e.row() && row < e.row() + PATCH && col >= e.col() && col < e.col() + PATCH,
                        "image " + n + ": maximum at (" + row + ", " + col + "), square at (" + e.row() + ", "
                                + e.col() + ")");
            }
            assertTrue(!net.isTraining() && net.parameters().stream().allMatch(Tensor::requiresGrad),
                    "explaining restores the parameters' requiresGrad and keeps the mode");
            assertEquals(2f, firstWeight.grad().toFloatArray()[0], "a gradient the caller had is left alone");
        }
    }

    /**
     * Adebayo et al.'s cascading randomisation, all layers at once: the same architecture with fresh random weights.
     * A method whose maps survive that unchanged explains the input, not the model. Measured by the Spearman rank
     * correlation between the trained and the random model's maps over the same 6 images (8 integrated-gradients
     * steps and 4x4 occlusion windows every 2 pixels keep it quick).
     */
    @Test
    void mapsOfARandomisedModelDiffer() {
        try (Sequential trained = trainedPatchNet()) {
            Init.manualSeed(123);
            try (Sequential random = patchNet()) {
                random.eval();
                Random r = new Random(31);
                Example[] images = new Example[6];
                for (int i = 0; i < images.length; i++) {
                    images[i] = example(r, 1);
                }
                for (Method method : Method.values()) {
                    double sum = 0;
                    for (Example e : images) {
                        Explain.Options o = new Explain.Options(null, 1, 8, PATCH, PATCH / 2);
                        sum += spearman(Explain.run(method, trained, image(e), o).values(),
                                Explain.run(method, random, image(e), o).values());
                    }
                    double mean = sum / images.length;
                    assertTrue(mean < 0.5, method.cliName() + ": rank correlation of trained and random maps "
                            + mean);
                }
            }
        }
    }

    /**
     * Completeness: the map sums to S(x) - S(0) up to the midpoint rule's error with 64 steps (the integrand is
     * piecewise constant between ReLU kinks; measured 0.07% here, allowed 1%).
     */
    @Test
    void integratedGradientsAddUpToTheScoreChange() {
        try (Sequential net = trainedPatchNet()) {
            Example e = example(new Random(3), 1);
            Heatmap map = Explain.run(Method.INTEGRATED_GRADIENTS, net, image(e),
                    new Explain.Options(null, 1, 64, 0, 0));
            double total = 0;
            for (float v : map.values()) {
                total += v;
            }
            double change;
            try (NoGrad ng = NoGrad.enter(); MemoryScope scope = MemoryScope.open()) {
                change = net.call(image(e)).toFloatArray()[1]
                        - net.call(tensor(new float[SIDE * SIDE], 1, 1, SIDE, SIDE)).toFloatArray()[1];
            }
            assertEquals(change, total, 0.01 * Math.abs(change), "sum of attributions vs S(x) - S(0)");
        }
    }

    /** A 1-D model: maps are one row, Grad-CAM's at the layer's length, the others at the input's. */
    @Test
    void sequencesGetOneRowMaps() {
        Init.manualSeed(2);
        try (Sequential net = new Sequential(new Conv1d(2, 4, 5, 2, 0), new ReLU(), new AdaptiveAvgPool1d(1),
                new Flatten(), new Linear(4, 3))) {
            Tensor x = randn(1, 2, 21);
            Heatmap cam = Explain.run(Method.GRADCAM, net, x, Explain.Options.DEFAULTS);
            assertEquals(Arrays.asList(1, 9), Arrays.asList(cam.height(), cam.width()), "(21 - 5) / 2 + 1");
            assertEquals("1", Explain.defaultLayer(net));
            for (Method m : new Method[] {Method.SALIENCY, Method.INTEGRATED_GRADIENTS, Method.OCCLUSION}) {
                Heatmap map = Explain.run(m, net, x, Explain.Options.DEFAULTS.withTarget(2));
                assertEquals(Arrays.asList(1, 21, 2), Arrays.asList(map.height(), map.width(), map.targetClass()));
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        try (Sequential net = patchNet()) {
            Tensor x = tensor(new float[SIDE * SIDE], 1, 1, SIDE, SIDE);
            var e = assertThrows(IllegalArgumentException.class, () -> GradCam.compute(net, x, "9", 0, false));
            assertTrue(e.getMessage().contains("no layer '9'"), e.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class,
                    () -> Explain.run(Method.SALIENCY, net, x, Explain.Options.DEFAULTS.withTarget(2)));
            assertTrue(e2.getMessage().contains("class 2 is out of range"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> GradCam.compute(net, x, "6", 0, false));
            assertTrue(e3.getMessage().contains("pick a convolutional layer"), e3.getMessage());
            Tensor two = tensor(new float[2 * SIDE * SIDE], 2, 1, SIDE, SIDE);
            var e4 = assertThrows(IllegalArgumentException.class,
                    () -> Explain.run(Method.OCCLUSION, net, two, Explain.Options.DEFAULTS));
            assertTrue(e4.getMessage().contains("one input of shape [1, C, H, W]"), e4.getMessage());
            assertFalse(net.parameters().isEmpty());
        }
    }

    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0), mb = Arrays.stream(rb).average().orElse(0);
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    /** Ranks 0..n-1, ties sharing their mean rank. */
    private static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Float.compare(v[i], v[j]));
        double[] rank = new double[v.length];
        for (int i = 0; i < v.length;) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return rank;
    }
}
