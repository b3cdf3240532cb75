package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.explain.Explain;
import org.cnn4j.explain.Heatmap;
import org.cnn4j.explain.Method;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every explanation method's raw map for torchvision's ResNet-18 and VGG-11 with fixed weights and input, against
 * the float64 PyTorch reference of tools/golden/make_explain_fixtures.py. The bound is the issue's: relative error
 * {@code max |map - ref| / max |ref|} below 1e-4. The generator checked that torch's own float32 maps (in two memory
 * layouts) stay within 2e-5 of the reference (the points are well-conditioned), so a float32 implementation has
 * five times that room.
 */
class ExplainGoldenTest {
    private static final Backend CPU = new CpuBackend();
    private static final double BOUND = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "vgg11"})
    void mapsMatchPyTorch(String name) throws IOException {
        Path file = tmp.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("/golden/explain/" + name + ".safetensors")) {
            assertNotNull(in, "missing fixture; regenerate with tools/golden/make_explain_fixtures.py");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> meta = Safetensors.readHeader(file).metadata();
        Shape input = Shape.of(new ObjectMapper().readValue(meta.get("input"), int[].class));
        int cls = Integer.parseInt(meta.get("class"));
        Explain.Options options = new Explain.Options(meta.get("layer"), -1, Integer.parseInt(meta.get("steps")),
                Integer.parseInt(meta.get("patch")), Integer.parseInt(meta.get("stride")));
        long before = CPU.liveBytes();
        try (Backends.Use use = Backends.use(CPU);
             Module model = ModelRegistry.create(name, ModelOptions.numClasses(Integer.parseInt(meta.get("num_classes"))));
             MemoryScope scope = MemoryScope.open()) {
            ExplainWeights.fill(model.stateDict(), Double.parseDouble(meta.get("variance")));
            Map<String, Tensor> expected = Safetensors.load(file, CPU);
            Tensor x = Tensor.of(CPU, ExplainWeights.input(input), input);
            assertEquals(meta.get("layer"), Explain.defaultLayer(model), "the default Grad-CAM layer");
            for (Method method : Method.values()) {
                Heatmap map = Explain.run(method, model, x, options);
                Tensor ref = expected.get(method.cliName());
                String what = name + " " + method.cliName();
                assertEquals(cls, map.targetClass(), what + ": the top class");
                assertEquals(Arrays.asList(ref.dim(0), ref.dim(1)), Arrays.asList(map.height(), map.width()), what);
                double error = relativeError(map.values(), ref.toFloatArray());
                if (!(error < BOUND)) {
                    throw new AssertionError(what + ": relative error " + error + " >= " + BOUND);
                }
            }
        }
        assertEquals(before, CPU.liveBytes(), name + ": every tensor freed");
    }

    private static double relativeError(float[] actual, float[] expected) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }
}
