package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Files exported by PyTorch 1.13's {@code torch.onnx.export} (tools/golden/make_onnx_fixtures.py) load and give
 * PyTorch's outputs; an imported model fine-tunes and round-trips through safetensors. Tolerance: 1e-4 of the
 * output's largest magnitude, float32 sums in another order through a dozen layers.
 */
class OnnxPyTorchImportTest {
    private static final Backend CPU = new CpuBackend();

    @TempDir
    Path dir;

    /** A fixture's .onnx copied out of the test resources, with its input and PyTorch's output. */
    record Fixture(Path onnx, Shape inputShape, float[] input, Shape outputShape, float[] output) {
    }

    private Fixture fixture(String name) throws IOException {
        Path onnx = dir.resolve(name + ".onnx");
        try (InputStream in = getClass().getResourceAsStream("/onnx/" + name + ".onnx")) {
            Files.copy(in, onnx);
        }
        Map<String, String> lines = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/onnx/" + name + ".txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && line.contains(" ")) {
                    lines.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
                }
            }
        }
        return new Fixture(onnx, Shape.of(ints(lines.get("input_shape"))), floats(lines.get("input")),
                Shape.of(ints(lines.get("output_shape"))), floats(lines.get("output")));
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static float[] floats(String s) {
        String[] parts = s.trim().split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static float[] run(OnnxModel model, Fixture f) {
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter();
             Tensor x = Tensor.of(CPU, f.input(), f.inputShape())) {
            Tensor y = model.call(x);
            assertEquals(f.outputShape(), y.shape());
            return y.toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mini_resnet", "mini_vgg", "mini_mobile"})
    void pyTorchExportsGivePyTorchsOutputs(String name) throws IOException {
        Fixture f = fixture(name);
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU)) {
            model.eval();
            double err = OrtRunner.relativeError(run(model, f), f.output());
            assertTrue(err < 1e-4, name + ": relative error " + err + " vs PyTorch");
        }
    }

    @Test
    void namesAreKeptAndBatchNormStatisticsAreBuffers() throws IOException {
        Fixture f = fixture("mini_resnet");
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU)) {
            assertTrue(model.namedParameters().containsKey("conv1.weight"), model.namedParameters().keySet()
                    .toString());
            assertTrue(model.namedParameters().containsKey("down.0.weight"));
            assertTrue(model.namedBuffers().containsKey("bn1.running_mean"));
            assertTrue(!model.namedParameters().containsKey("bn1.running_var"));
        }
    }

    @Test
    void importedModelFineTunesAndRoundTripsThroughSafetensors() throws IOException {
        Fixture f = fixture("mini_resnet");
        int[] labels = {3, 7};
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU);
             Tensor x = Tensor.of(CPU, f.input(), f.inputShape());
             SGD sgd = new SGD(model.parameters(), 0.05, 0.9)) {
            model.train();
            float first = 0, last = 0;
            for (int step = 0; step < 8; step++) {
                try (MemoryScope scope = MemoryScope.open()) {
                    sgd.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.call(x), labels);
                    loss.backward();
                    sgd.step();
                    last = loss.item();
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            assertTrue(last < 0.5f * first, "loss should fall: " + first + " -> " + last);

            model.eval();
            float[] tuned = run(model, f);
            Path saved = dir.resolve("tuned.safetensors");
            Safetensors.save(saved, model.stateDict(), Map.of());
            try (OnnxModel fresh = OnnxModel.load(f.onnx(), CPU)) {
                Map<String, Tensor> state = Safetensors.load(saved, CPU);
                fresh.loadStateDict(state);
                state.values().forEach(Tensor::close);
                fresh.eval();
                assertArrayEquals(tuned, run(fresh, f));
            }
        }
    }
}
