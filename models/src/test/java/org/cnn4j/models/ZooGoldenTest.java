package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StochasticDepth;
import org.cnn4j.ops.Losses;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TrainingLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One member of every zoo family against torchvision (fixtures from tools/golden/make_zoo_fixtures.py, weights
 * from {@link GoldenWeights#fillHashed}): eval-mode logits, and the loss and every parameter's gradient of one
 * training-mode step (batch statistics, auxiliary heads included through the training loop's {@link TrainingLoss},
 * dropout and stochastic depth off as in the generator). Tolerances are derived in the generator from torch's own
 * float32-vs-float64 error (see its comments).
 */
class ZooGoldenTest {
    static final Backend CPU = new CpuBackend();
    private static final int CLASSES = 10;

    private static Module model(String name) {
        return uninitialised(() -> ModelRegistry.create(name, ModelOptions.numClasses(CLASSES)));
    }

    /**
     * The model built on the shape-only backend (where initialisation draws nothing) and moved to the CPU: every
     * value is then written by {@link GoldenWeights#fillHashed}, so drawing 28M initial weights would be wasted
     * seconds. (ZooInitTest checks the initialisation.)
     */
    static Module uninitialised(Supplier<Module> factory) {
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend())) {
            return factory.get().to(CPU);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeezenet1_0", "densenet121", "shufflenet_v2_x1_0", "regnet_x_400mf", "regnet_y_400mf",
        "googlenet", "inception_v3", "convnext_tiny", "mobilenet_v2", "mobilenet_v3_large", "mnasnet1_0",
        "efficientnet_b0", "efficientnet_v2_s"})
    void logitsMatchTorchvision(String name) {
        List<String> fixture = Fixtures.lines("logits/" + name + ".txt");
        assertEquals("hash", Fixtures.field(fixture, "weights"));
        Shape input = shape(Fixtures.field(fixture, "input"));
        double tolerance = Double.parseDouble(Fixtures.field(fixture, "tolerance"));
        double[] expected = numbers(Fixtures.field(fixture, "logits"));
        long before = CPU.liveBytes();
        try (Backends.Use use = Backends.use(CPU); Module model = name.equals("googlenet")
                ? uninitialised(() -> new GoogLeNet(CLASSES, true, true, 0.2f, 0.7f)) // the fixture's flag
                : model(name)) {
            GoldenWeights.fillHashed(model.stateDict());
            model.eval();
            float[] logits;
            try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                logits = model.call(Tensor.of(CPU, GoldenWeights.hashedInput(input), input)).toFloatArray();
            }
            assertEquals(expected.length, logits.length);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(logits[i] - expected[i]));
            }
            assertTrue(worst <= tolerance, name + ": max |logit - torchvision| = " + worst + " > " + tolerance
                    + "; got " + Arrays.toString(logits) + " expected " + Arrays.toString(expected));
        }
        assertEquals(before, CPU.liveBytes(), name + ": every tensor freed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeezenet1_1", "densenet121", "shufflenet_v2_x0_5", "regnet_y_400mf", "googlenet",
        "inception_v3", "convnext_tiny", "mobilenet_v2", "mobilenet_v3_small", "mnasnet0_5", "efficientnet_b0",
        "efficientnet_v2_s"})
    void trainingStepGradientsMatchPyTorch(String name) {
        List<String> fixture = Fixtures.lines("grads/" + name + ".txt");
        assertEquals("hash", Fixtures.field(fixture, "weights"));
        Shape input = shape(Fixtures.field(fixture, "input"));
        double expectedLoss = Double.parseDouble(Fixtures.field(fixture, "loss"));
        double floor = Double.parseDouble(Fixtures.field(fixture, "floor"));
        double rel = Double.parseDouble(Fixtures.field(fixture, "relative_tolerance"));
        List<String> rows = fixture.stream().filter(l -> l.split(" ").length == 3).toList();
        long before = CPU.liveBytes();
        try (Backends.Use use = Backends.use(CPU); Module model = model(name)) {
            GoldenWeights.fillHashed(model.stateDict());
            model.train();
            for (Module m : model.namedModules().values()) {
                if (m instanceof Dropout || m instanceof StochasticDepth) {
                    m.eval(); // masks cannot match PyTorch's; the generator turns them off too
                }
            }
            int[] labels = new int[input.dim(0)];
            Arrays.setAll(labels, i -> i % CLASSES);
            double loss;
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor x = Tensor.of(CPU, GoldenWeights.hashedInput(input), input);
                Tensor total = TrainingLoss.of(model, x, logits -> Losses.crossEntropy(logits, labels)).loss();
                total.backward();
                loss = total.item();
            }
            assertEquals(expectedLoss, loss, rel * Math.max(1, Math.abs(expectedLoss)), name + " loss");
            Map<String, float[]> grads = new LinkedHashMap<>();
            model.namedParameters().forEach((key, p) -> grads.put(key, p.grad().toFloatArray()));
            List<String> failures = compareGradients(grads, rows, floor, rel);
            assertEquals(List.of(), failures, name + ": gradients off by more than " + rel + " x (|g| + " + floor
                    + ")");
        }
        assertEquals(before, CPU.liveBytes(), name + ": every tensor freed");
    }

    /** Each row "key |g| g.probe" against the parameter's gradient (named_parameters order); the mismatches. */
    static List<String> compareGradients(Map<String, float[]> grads, List<String> rows, double floor, double rel) {
        assertEquals(rows.size(), grads.size(), "parameter count");
        List<String> failures = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, float[]> e : grads.entrySet()) {
            String[] row = rows.get(k).split(" ");
            assertEquals(row[0], e.getKey(), "parameter " + k);
            double expectedNorm = Double.parseDouble(row[1]);
            double expectedDot = Double.parseDouble(row[2]);
            float[] g = e.getValue();
            double norm = 0, dot = 0, probeNorm = 0;
            for (int i = 0; i < g.length; i++) {
                double p = Math.sin(i * 0.73 + k);
                norm += (double) g[i] * g[i];
                dot += g[i] * p;
                probeNorm += p * p;
            }
            norm = Math.sqrt(norm);
            double scale = expectedNorm + floor;
            if (Math.abs(norm - expectedNorm) > rel * scale
                    || Math.abs(dot - expectedDot) > rel * scale * Math.sqrt(probeNorm)) {
                failures.add(e.getKey() + ": |g| " + norm + " vs " + expectedNorm + ", g.p " + dot + " vs "
                        + expectedDot);
            }
            k++;
        }
        return failures;
    }

    static Shape shape(String dims) {
        return Shape.of(Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    private static double[] numbers(String line) {
        return Arrays.stream(line.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
