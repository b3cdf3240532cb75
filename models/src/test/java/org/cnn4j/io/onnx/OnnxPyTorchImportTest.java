package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.GradCheck;
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

    /** A fixture copied out of the test resources. */
    private OnnxFixture fixture(String name) throws IOException {
        for (String ext : new String[] {".onnx", ".txt"}) {
            try (InputStream in = getClass().getResourceAsStream("/onnx/" + name + ext)) {
                Files.copy(in, dir.resolve(name + ext));
            }
        }
        return OnnxFixture.read(dir.resolve(name + ".onnx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mini_resnet", "mini_vgg", "mini_mobile", "mini_shuffle_opset11", "mini_shuffle_opset13",
        "mini_shuffle_opset17", "mini_decoder"})
    void pyTorchExportsGivePyTorchsOutputs(String name) throws IOException {
        OnnxFixture f = fixture(name);
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU)) {
            model.eval();
            double err = OrtRunner.relativeError(f.run(model, CPU), f.output());
            assertTrue(err < 1e-4, name + ": relative error " + err + " vs PyTorch");
        }
    }

    @Test
    void namesAreKeptAndBatchNormStatisticsAreBuffers() throws IOException {
        OnnxFixture f = fixture("mini_resnet");
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
        OnnxFixture f = fixture("mini_resnet");
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
            float[] tuned = f.run(model, CPU);
            Path saved = dir.resolve("tuned.safetensors");
            Safetensors.save(saved, model.stateDict(), Map.of());
            try (OnnxModel fresh = OnnxModel.load(f.onnx(), CPU)) {
                Map<String, Tensor> state = Safetensors.load(saved, CPU);
                fresh.loadStateDict(state);
                state.values().forEach(Tensor::close);
                fresh.eval();
                assertArrayEquals(tuned, f.run(fresh, CPU));
            }
        }
    }

    /** ConvTranspose and Erf carry gradients to the input and to both transposed-convolution weights. */
    @Test
    void importedDecoderGradientsMatchFiniteDifferences() throws IOException {
        OnnxFixture f = fixture("mini_decoder");
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU);
             Tensor x = Tensor.of(CPU, f.input(), f.inputShape())) {
            model.eval();
            assertEquals(Map.of("ConvTranspose", 2, "Constant", 3, "Div", 1, "Erf", 1, "Add", 1, "Mul", 2, "Tanh", 1),
                    model.operatorCounts());
            x.requiresGrad(true);
            GradCheck.check("mini_decoder", in -> model.call(in[0]), x, model.namedParameters().get("up1.weight"),
                    model.namedParameters().get("up2.weight"));
        }
    }

    /** Transpose, Split and Slice carry gradients to the input and to the weights before them (finite differences). */
    @ParameterizedTest
    @ValueSource(strings = {"mini_shuffle_opset11", "mini_shuffle_opset17"})
    void importedShuffleNetGradientsMatchFiniteDifferences(String name) throws IOException {
        OnnxFixture f = fixture(name);
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(f.onnx(), CPU);
             Tensor x = Tensor.of(CPU, f.input(), f.inputShape())) {
            model.eval();
            x.requiresGrad(true);
            Tensor stem = model.namedParameters().get("stem.weight");
            Tensor branch = model.namedParameters().get("branch.weight");
            GradCheck.check(name, in -> model.call(in[0]), x, stem, branch);
        }
    }
}
