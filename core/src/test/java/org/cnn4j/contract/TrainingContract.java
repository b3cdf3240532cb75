package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/** End-to-end training: layers, autograd and an optimizer together learn a small synthetic image task. */
public abstract class TrainingContract extends BackendTestBase {
    private static final int SIZE = 16;
    private static final int CLASSES = 4;

    /** Images of noise with one bright 3x3 blob; the label is the quadrant holding the blob. */
    static final class QuadrantData {
        final float[] images;
        final int[] labels;

        QuadrantData(int n, long seed) {
            Random r = new Random(seed);
            images = new float[n * SIZE * SIZE];
            labels = new int[n];
            int half = SIZE / 2;
            for (int i = 0; i < n; i++) {
                int base = i * SIZE * SIZE;
                for (int j = 0; j < SIZE * SIZE; j++) {
                    images[base + j] = (float) (0.3 * r.nextGaussian());
                }
                int label = r.nextInt(CLASSES);
                labels[i] = label;
                int top = (label / 2) * half + r.nextInt(half - 2);
                int left = (label % 2) * half + r.nextInt(half - 2);
                for (int y = top; y < top + 3; y++) {
                    for (int x = left; x < left + 3; x++) {
                        images[base + y * SIZE + x] += 1.5f;
                    }
                }
            }
        }

        Tensor batch(org.cnn4j.backend.Backend be, int from, int count) {
            float[] v = new float[count * SIZE * SIZE];
            System.arraycopy(images, from * SIZE * SIZE, v, 0, v.length);
            return Tensor.of(be, v, Shape.of(count, 1, SIZE, SIZE));
        }

        int[] labels(int from, int count) {
            return java.util.Arrays.copyOfRange(labels, from, from + count);
        }
    }

    static Sequential smallConvNet() {
        return new Sequential(
                new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new AdaptiveAvgPool2d(2, 2),
                new Flatten(), new Linear(16 * 2 * 2, CLASSES));
    }

    @Test
    void smallConvNetLearnsWhichQuadrantHoldsTheBlob() {
        Init.manualSeed(1);
        QuadrantData train = new QuadrantData(512, 2);
        QuadrantData test = new QuadrantData(256, 3);
        int batch = 32;
        try (Sequential net = smallConvNet(); Optimizer opt = new Adam(net.parameters(), 0.01)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int from = 0; from < 512; from += batch) {
                    try (MemoryScope step = MemoryScope.open()) {
                        Tensor loss = Losses.crossEntropy(net.call(train.batch(backend, from, batch)),
                                train.labels(from, batch));
                        opt.zeroGrad();
                        loss.backward();
                        opt.step();
                    }
                }
            }
            net.eval();
            int correct = 0;
            try (NoGrad ng = NoGrad.enter(); MemoryScope s = MemoryScope.open()) {
                float[] logits = net.call(test.batch(backend, 0, 256)).toFloatArray();
                for (int i = 0; i < 256; i++) {
                    int best = 0;
                    for (int c = 1; c < CLASSES; c++) {
                        best = logits[i * CLASSES + c] > logits[i * CLASSES + best] ? c : best;
                    }
                    correct += best == test.labels[i] ? 1 : 0;
                }
            }
            double accuracy = correct / 256.0;
            assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance 0.25)");
            opt.zeroGrad();
        }
    }

    /**
     * The net of tools/golden/make_optim_fixtures.py: conv-bn-relu-pool-flatten-linear. The conv has no bias, as
     * in torchvision: a bias before batch norm gets a zero gradient, which Adam turns into noise-driven steps.
     */
    static Sequential goldenNet() {
        return new Sequential(new Conv2d(1, 4, 3, 3, ConvSpec.of(1, 1), false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2, 2, 0),
                new Flatten(), new Linear(4 * 4 * 4, 3));
    }

    /** Losses and final weights against PyTorch; the expected values stay on the host (see GoldenFixture). */
    @Test
    void sgdAndAdamWReproducePyTorchLosses() throws IOException {
        Map<String, GoldenFixture.HostTensor> golden = GoldenFixture.readHost("optim_golden");
        float[] labelValues = golden.get("labels").values();
        int[] labels = new int[labelValues.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) labelValues[i];
        }
        Tensor input = onBackend(golden.get("input"));
        for (String name : List.of("sgd", "adamw")) {
            try (Sequential net = goldenNet()) {
                net.loadStateDict(withPrefix(golden, "init."));
                Optimizer opt = name.equals("sgd")
                        ? new SGD(net.parameters(), 0.05, 0.9, 0, 1e-4, true)
                        : new AdamW(net.parameters(), 1e-3, 0.01);
                float[] expected = golden.get(name + ".losses").values();
                for (int step = 0; step < expected.length; step++) {
                    try (MemoryScope s = MemoryScope.open()) {
                        Tensor loss = Losses.crossEntropy(net.call(input), labels);
                        double got = loss.item();
                        assertEquals(expected[step], got, 1e-4 * Math.abs(expected[step]),
                                name + " loss at step " + step);
                        opt.zeroGrad();
                        loss.backward();
                        opt.step();
                    }
                }
                for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
                    GoldenFixture.HostTensor expectedFinal = golden.get(name + ".final." + e.getKey());
                    assertTrue(expectedFinal != null, name + ": the fixture has no final value of " + e.getKey());
                    float[] want = expectedFinal.values();
                    float[] got = e.getValue().toFloatArray();
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-5 + 1e-4 * Math.abs(want[i]),
                                name + " final " + e.getKey() + "[" + i + "]");
                    }
                }
                opt.zeroGrad();
                opt.close();
            }
        }
    }

    private Tensor onBackend(GoldenFixture.HostTensor t) {
        return Tensor.of(backend, t.values().clone(), t.shape());
    }

    /** The tensors whose names start with {@code prefix}, prefix removed, copied to the backend under test. */
    private Map<String, Tensor> withPrefix(Map<String, GoldenFixture.HostTensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), onBackend(v));
            }
        });
        return out;
    }
}
