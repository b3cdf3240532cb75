package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferCommandTest {
    @TempDir
    Path dir;

    private static Backend cpu() {
        return Backends.get("cpu");
    }

    @Test
    void writesTheModelsEvalOutput() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        Path in = dir.resolve("in.safetensors");
        Path out = dir.resolve("out.safetensors");
        float[] expected;
        try (Backends.Use use = Backends.use(cpu()); MemoryScope scope = MemoryScope.open()) {
            Init.manualSeed(3);
            try (Module m = ModelRegistry.create("fmnist_cnn", ModelOptions.DEFAULTS)) {
                // non-trivial running statistics, so eval mode differs from train mode
                Tensor runningVar = m.stateDict().get("features.1.running_var");
                runningVar.backend().fill(runningVar, 2f);
                Safetensors.save(weights, m.stateDict(), Map.of());
                Tensor x = Tensor.randn(cpu(), Shape.of(2, 1, 28, 28), new Random(5));
                Safetensors.save(in, Map.of("input", x), Map.of());
                m.eval();
                try (NoGrad ng = NoGrad.enter()) {
                    expected = m.call(x).toFloatArray();
                }
            }
        }
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "fmnist_cnn",
                "--weights", weights.toString(), "--input", in.toString(), "--output", out.toString(),
                "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> y = Safetensors.load(out, cpu());
            assertEquals(Shape.of(2, 10), y.get("output").shape());
            assertArrayEquals(expected, y.get("output").toFloatArray());
        }
    }

    @Test
    void wrongWeightsListEveryProblem() throws Exception {
        Path weights = dir.resolve("bad.safetensors");
        try (Backends.Use use = Backends.use(cpu()); MemoryScope scope = MemoryScope.open();
             Module m = ModelRegistry.create("lenet5", ModelOptions.DEFAULTS)) {
            Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
            state.remove("features.0.bias");
            state.put("features.3.weight", Tensor.zeros(cpu(), Shape.of(16, 6, 3, 3)));
            state.put("head.weight", Tensor.zeros(cpu(), Shape.of(2)));
            Safetensors.save(weights, state, Map.of());
        }
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--weights", weights.toString(), "--input", dir.resolve("none").toString(),
                "--output", dir.resolve("o").toString(), "--backend", "cpu");
        assertEquals(1, r.exitCode());
        String err = r.err();
        assertTrue(err.startsWith("cnn infer: " + weights + " does not fit lenet5"), err);
        assertTrue(err.contains("features.0.bias") && err.contains("head.weight")
                && err.contains("features.3.weight: checkpoint [16, 6, 3, 3] vs model [16, 6, 5, 5]"), err);
    }

    @Test
    void missingInputTensorIsNamed() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        Path in = dir.resolve("in.safetensors");
        try (Backends.Use use = Backends.use(cpu()); MemoryScope scope = MemoryScope.open();
             Module m = ModelRegistry.create("lenet5", ModelOptions.DEFAULTS)) {
            Safetensors.save(weights, m.stateDict(), Map.of());
            Safetensors.save(in, Map.of("pixels", Tensor.zeros(cpu(), Shape.of(1, 1, 28, 28))), Map.of());
        }
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--weights", weights.toString(), "--input", in.toString(), "--output", dir.resolve("o").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no tensor named 'input'; it holds 'pixels'"), r.err());
    }
}
