package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Tanh;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of a Sequential built from core layers (ONNX Runtime agrees), and the errors for what has no ONNX form. */
class OnnxLayerExportTest {
    private static final Backend CPU = new CpuBackend();

    @TempDir
    Path dir;

    private static float[] randn(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void sequentialOfCoreLayersRunsInOrt() throws Exception {
        int[] shape = {2, 3, 12, 12};
        try (Backends.Use use = Backends.use(CPU);
             Sequential net = new Sequential(new Conv2d(3, 8, 3, 3, ConvSpec.of(1, 2, 2, 1), true),
                     new BatchNorm2d(8), new LeakyReLU(0.1f),
                     new Conv2d(8, 8, 3, 3, ConvSpec.of(2, 1, 1, 4), false), new GELU(),
                     new AvgPool2d(3, 1, 1, false, false), new Sigmoid(), new MaxPool2d(2), new Tanh(),
                     new Flatten(), new Dropout(0.5f), new Linear(8 * 3 * 3, 5), new ReLU())) {
            Path file = dir.resolve("seq.onnx");
            Onnx.export(net, Shape.of(shape), file, 13);
            float[] input = randn(2 * 3 * 12 * 12, 3);
            float[] expected;
            net.eval();
            try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter();
                 Tensor x = Tensor.of(CPU, input, Shape.of(shape))) {
                expected = net.call(x).toFloatArray();
            }
            double err = OrtRunner.relativeError(OrtRunner.run(file, input, shape), expected);
            assertTrue(err < 1e-4, "ORT vs cnn4j relative error " + err);
        }
    }

    @Test
    void trainingModeIsRestoredAndTheFileIsWrittenAtomically() throws Exception {
        try (Backends.Use use = Backends.use(CPU); Sequential net = new Sequential(new Linear(4, 2))) {
            net.train();
            Path file = dir.resolve("lin.onnx");
            Onnx.export(net, Shape.of(1, 4), file);
            assertTrue(net.isTraining(), "export must restore training mode");
            try (var files = Files.list(dir)) {
                assertTrue(files.allMatch(p -> p.equals(file)), "no temporary file left behind");
            }
        }
    }

    /** A layer calling an op that has an ONNX form only through its layer (the embedding lookup). */
    static final class Lookup extends Module {
        Lookup() {
            registerParameter("table", Tensor.full(Backends.current(), Shape.of(4, 4), 0.5f));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Shapes.reshape(org.cnn4j.ops.Embedding.embedding(x, parameter("table"), -1), x.dim(0), 16);
        }
    }

    @Test
    void opWithoutOnnxFormNamesTheModuleAndOp() {
        try (Backends.Use use = Backends.use(CPU);
             Sequential net = new Sequential(new Lookup(), new ReLU(), new Linear(16, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Onnx.export(net, Shape.of(1, 4), dir.resolve("bad.onnx")));
            assertTrue(e.getMessage().contains("module '0' (Lookup)") && e.getMessage().contains("op 'embedding'"),
                    e.getMessage());
            assertTrue(!Files.exists(dir.resolve("bad.onnx")));
        }
    }

    @Test
    void opsetOutsideTheSupportedRangeFails() {
        try (Backends.Use use = Backends.use(CPU); Sequential net = new Sequential(new Linear(4, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Onnx.export(net, Shape.of(1, 4), dir.resolve("m.onnx"), 19));
            assertTrue(e.getMessage().contains("opset 19 is not supported; expected 11 to 18"), e.getMessage());
        }
    }
}
