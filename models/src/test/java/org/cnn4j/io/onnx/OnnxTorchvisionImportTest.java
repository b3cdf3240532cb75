package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * torchvision models exported by PyTorch 1.13 ({@code tools/golden/make_onnx_fixtures.py}) load and give
 * torchvision's output, one model of every zoo family. Committed: torchvision's classes at their smallest (width
 * multipliers, small configurations; {@code --torchvision-small}). Not committed (~1.5 GB): the named builders
 * ({@code --torchvision DIR}), run with {@code -Dcnn4j.onnx.torchvisionDir=DIR} and skipped otherwise. Tolerance
 * as in {@link OnnxPyTorchImportTest}.
 */
class OnnxTorchvisionImportTest {
    private static final Backend CPU = new CpuBackend();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tv_squeezenet1_1", "tv_shufflenet_v2_x0_5", "tv_mobilenet_v2_w025",
        "tv_mobilenet_v3_small_w025", "tv_mnasnet_a025", "tv_efficientnet_b0_w025", "tv_efficientnet_v2_small",
        "tv_regnet_y_small", "tv_densenet_small", "tv_convnext_small_cfg"})
    void committedTorchvisionExportsGiveTorchvisionsOutputs(String name) throws IOException {
        for (String ext : new String[] {".onnx", ".txt"}) {
            try (InputStream in = getClass().getResourceAsStream("/onnx/torchvision/" + name + ext)) {
                Files.copy(in, dir.resolve(name + ext));
            }
        }
        check(name, dir.resolve(name + ".onnx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "vgg11_bn", "resnet18", "resnext50_32x4d", "wide_resnet50_2", "googlenet",
        "inception_v3", "densenet121", "squeezenet1_0", "shufflenet_v2_x1_0", "regnet_y_400mf", "regnet_x_400mf",
        "mobilenet_v2", "mobilenet_v3_large", "mnasnet1_0", "efficientnet_b0", "efficientnet_v2_s", "convnext_tiny"})
    void torchvisionExportsGiveTorchvisionsOutputs(String name) throws IOException {
        String tvDir = System.getProperty("cnn4j.onnx.torchvisionDir");
        assumeTrue(tvDir != null, "set -Dcnn4j.onnx.torchvisionDir (see tools/golden/make_onnx_fixtures.py)");
        Path onnx = Path.of(tvDir, name + ".onnx");
        assumeTrue(Files.exists(onnx), onnx + " not made");
        check(name, onnx);
    }

    private static void check(String name, Path onnx) throws IOException {
        OnnxFixture f = OnnxFixture.read(onnx);
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(onnx, CPU)) {
            model.eval();
            double err = OrtRunner.relativeError(f.run(model, CPU), f.output());
            assertTrue(err < 1e-4, name + ": relative error " + err + " vs torchvision");
        }
    }
}
