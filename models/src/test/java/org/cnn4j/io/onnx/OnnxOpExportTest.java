package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.models.GoogLeNet;
import org.cnn4j.nn.ConvTranspose2d;
import org.cnn4j.nn.LayerNorm2d;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.ChannelShuffle;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.ops.Slicing;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ops called directly in a forward (not through a layer with an exporter) export from the settings their autograd
 * nodes keep: ONNX Runtime agrees with cnn4j (1e-4 of the output's scale, as {@link OnnxZooExportTest}) at opsets 11,
 * 13 and 17, and importing the file gives cnn4j's output again (1e-5: the importer runs the same kernels, except
 * that SiLU comes back as x * sigmoid(x) and GELU as its Erf form, each a few float32 roundings apart).
 */
class OnnxOpExportTest {
    private static final Backend CPU = new CpuBackend();

    @TempDir
    Path dir;

    /** Transposed convolutions, the activations ONNX has no single op for, scalar arithmetic and reductions. */
    static final class Decoder extends Module {
        private final ConvTranspose2d up1 = registerModule("up1",
                new ConvTranspose2d(4, 6, 3, 3, ConvSpec.of(2, 1, 1, 2), 1, 1, true));
        private final ConvTranspose2d up2 = registerModule("up2",
                new ConvTranspose2d(6, 4, 3, 2, new ConvSpec(1, 2, 2, 0, 2, 1, 1), 0, 1, false));
        private final LayerNorm2d norm = registerModule("norm", new LayerNorm2d(4, 1e-6f));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = Activations.gelu(up1.call(x));
            h = Arithmetic.add(Activations.silu(h), Activations.hardswish(h));
            h = Activations.relu6(Arithmetic.mul(up2.call(h), 3f));
            h = ChannelShuffle.channelShuffle(norm.call(h), 2);
            Tensor gate = Activations.hardsigmoid(Arithmetic.mean(h, new int[] {2, 3}, true));
            Tensor pooled = Pooling.avgPool2d(Arithmetic.mul(h, gate), 3, 2, 1);
            return Arithmetic.sum(Arithmetic.pow(Arithmetic.add(pooled, 2f), 2f), new int[] {3}, false);
        }
    }

    /** Slicing ops called directly: a stepped slice, an uneven split and a permute. */
    static final class Slicer extends Module {
        @Override
        public Tensor forward(Tensor x) {
            Tensor[] parts = Slicing.split(x, 1, 1, 3);
            Tensor stepped = Slicing.slice(parts[1], 2, 1, 6, 2);
            Tensor swapped = Slicing.permute(stepped, 0, 3, 2, 1);
            return Shapes.concat(3, Activations.tanh(swapped), Slicing.permute(Slicing.slice(parts[0], 2, 0, 3, 1),
                    0, 3, 2, 1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 13, 17})
    void directlyCalledOpsExportAndReimport(int opset) throws Exception {
        try (Backends.Use use = Backends.use(CPU); Decoder decoder = new Decoder()) {
            check(decoder, new int[] {2, 4, 3, 4}, opset);
        }
    }

    @Test
    void slicingOpsExportAndReimport() throws Exception {
        try (Backends.Use use = Backends.use(CPU); Slicer slicer = new Slicer()) {
            check(slicer, new int[] {2, 4, 7, 5}, 13);
        }
    }

    /** GoogLeNet's transform_input (per-channel constants made in forward) exports as constants. */
    @Test
    void googLeNetWithTransformInputExports() throws Exception {
        try (Backends.Use use = Backends.use(CPU); GoogLeNet net = new GoogLeNet(10, true, true, 0.2f, 0.7f)) {
            check(net, new int[] {1, 3, 32, 32}, 13);
        }
    }

    private void check(Module model, int[] shape, int opset) throws Exception {
        // -Dcnn4j.onnx.keepDir=DIR keeps the files for tools/onnx/check.py
        String keep = System.getProperty("cnn4j.onnx.keepDir");
        Path file = (keep == null ? dir : Path.of(keep)).resolve(model.typeName() + opset + ".onnx");
        Onnx.export(model, Shape.of(shape), file, opset);
        float[] input = new float[Math.toIntExact(Shape.of(shape).numel())];
        Random r = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        float[] expected;
        Shape outShape;
        model.eval();
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor y = model.call(Tensor.of(CPU, input, Shape.of(shape)));
            expected = y.toFloatArray();
            outShape = y.shape();
        }
        double err = OrtRunner.relativeError(OrtRunner.run(file, input, shape), expected);
        assertTrue(err < 1e-4, model.typeName() + " opset " + opset + ": ORT vs cnn4j relative error " + err);
        try (OnnxModel imported = OnnxModel.load(file, CPU); MemoryScope scope = MemoryScope.open();
             NoGrad ng = NoGrad.enter()) {
            imported.eval();
            Tensor y = imported.call(Tensor.of(CPU, input, Shape.of(shape)));
            assertEquals(outShape, y.shape());
            double back = OrtRunner.relativeError(y.toFloatArray(), expected);
            assertTrue(back < 1e-5, model.typeName() + " opset " + opset + ": imported vs original " + back);
        }
    }
}
