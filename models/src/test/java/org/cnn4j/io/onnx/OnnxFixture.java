package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * An ONNX file exported by PyTorch with its input and PyTorch's eval-mode output: NAME.onnx beside NAME.txt, as
 * tools/golden/make_onnx_fixtures.py writes them.
 */
record OnnxFixture(Path onnx, Shape inputShape, float[] input, Shape outputShape, float[] output) {

    static OnnxFixture read(Path onnx) throws IOException {
        String txt = onnx.getFileName().toString().replaceAll("\\.onnx$", ".txt");
        Map<String, String> lines = new HashMap<>();
        for (String line : Files.readAllLines(onnx.resolveSibling(txt))) {
            if (!line.startsWith("#") && line.contains(" ")) {
                lines.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
        }
        return new OnnxFixture(onnx, Shape.of(ints(lines.get("input_shape"))), floats(lines.get("input")),
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

    /** {@code model}'s output on the fixture's input (no gradients), checked against the expected shape. */
    float[] run(OnnxModel model, Backend backend) {
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter();
             Tensor x = Tensor.of(backend, input, inputShape)) {
            Tensor y = model.call(x);
            assertEquals(outputShape, y.shape());
            return y.toFloatArray();
        }
    }
}
