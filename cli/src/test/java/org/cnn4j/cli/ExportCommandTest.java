package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code cnn export}, and an exported file used where --model takes a zoo name ({@code infer}, {@code summary}). */
class ExportCommandTest {
    @TempDir
    Path dir;

    private static Backend cpu() {
        return Backends.get("cpu");
    }

    @Test
    void exportedModelRunsThroughInferWithTheSameOutput() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        Path in = dir.resolve("in.safetensors");
        Path onnx = dir.resolve("lenet.onnx");
        float[] expected;
        try (Backends.Use use = Backends.use(cpu()); MemoryScope scope = MemoryScope.open()) {
            Init.manualSeed(4);
            try (Module m = ModelRegistry.create("lenet5", ModelOptions.DEFAULTS)) {
                Safetensors.save(weights, m.stateDict(), Map.of());
                Tensor x = Tensor.randn(cpu(), Shape.of(3, 1, 28, 28), new Random(6));
                Safetensors.save(in, Map.of("input", x), Map.of());
                m.eval();
                try (NoGrad ng = NoGrad.enter()) {
                    expected = m.call(x).toFloatArray();
                }
            }
        }
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ExportCommand(), "--model", "lenet5",
                "--weights", weights.toString(), "--output", onnx.toString(), "--opset", "13", "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote lenet5 (opset 13"), r.out());
        assertTrue(Files.size(onnx) > 61_706 * 4, "the weights are in the file");

        Path out = dir.resolve("out.safetensors");
        r = ModelCommandsTestSupport.run(new InferCommand(), "--model", onnx.toString(), "--input", in.toString(),
                "--output", out.toString(), "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        try (MemoryScope scope = MemoryScope.open()) {
            assertArrayEquals(expected, Safetensors.load(out, cpu()).get("output").toFloatArray(), 1e-6f);
        }

        r = ModelCommandsTestSupport.run(new SummaryCommand(), "--model", onnx.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("61,706 parameters"), r.out());

        // fine-tuning the imported graph with the normal trainer
        Path run = dir.resolve("run");
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Cnn.run("train", "--model", onnx.toString(), "--limit-train", "128", "--limit-test",
                    "64", "--batch-size", "32", "--backend", "cpu", "--seed", "7", "--epochs", "1", "--out",
                    run.toString()));
        } finally {
            System.setOut(old);
        }
        try (MemoryScope scope = MemoryScope.open()) {
            assertTrue(Safetensors.load(run.resolve("last.safetensors"), cpu()).containsKey("features.0.weight"));
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ExportCommand(), "--model", "lenet5",
                "--weights", "w", "--output", dir.resolve("m.onnx").toString(), "--opset", "9");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--opset must be 11 to 18, got 9"), r.err());
        r = ModelCommandsTestSupport.run(new InferCommand(), "--model", dir.resolve("none.onnx").toString(),
                "--input", "i", "--output", "o");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no ONNX file"), r.err());
        r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5", "--input", "i", "--output", "o");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--weights is required for zoo model 'lenet5'"), r.err());
    }
}
