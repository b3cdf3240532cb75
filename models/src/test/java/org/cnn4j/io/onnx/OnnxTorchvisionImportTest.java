package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full torchvision models exported by PyTorch 1.13 load and give torchvision's output. The files (~350 MB) are not
 * committed: make them with {@code tools/golden/make_onnx_fixtures.py --torchvision DIR} and run with
 * {@code -Dcnn4j.onnx.torchvisionDir=DIR}; otherwise this test is skipped. Tolerance as in
 * {@link OnnxPyTorchImportTest}.
 */
class OnnxTorchvisionImportTest {
    private static final Backend CPU = new CpuBackend();

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "vgg11_bn", "alexnet"})
    void torchvisionExportsGiveTorchvisionsOutputs(String name) throws IOException {
        String dir = System.getProperty("cnn4j.onnx.torchvisionDir");
        assumeTrue(dir != null, "set -Dcnn4j.onnx.torchvisionDir (see tools/golden/make_onnx_fixtures.py)");
        Path onnx = Path.of(dir, name + ".onnx");
        assumeTrue(Files.exists(onnx), onnx + " not made");
        OnnxFixture f = OnnxFixture.read(onnx);
        try (Backends.Use use = Backends.use(CPU); OnnxModel model = OnnxModel.load(onnx, CPU)) {
            model.eval();
            double err = OrtRunner.relativeError(f.run(model, CPU), f.output());
            assertTrue(err < 1e-4, name + ": relative error " + err + " vs torchvision");
        }
    }
}
