package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.ops.ConvTranspose;
import org.cnn4j.ops.Slicing;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose forms PyTorch does not write (unequal pads, output_shape, SAME auto_pad) on hand-built nodes. Unequal
 * pads are a crop of the unpadded result, so the expected values are {@code conv_transpose2d} with zero padding,
 * sliced: the same kernels, so the comparison is exact.
 */
class OnnxConvTransposeImportTest {
    private static final Backend CPU = new CpuBackend();
    private MemoryScope scope;

    @BeforeEach
    void openScope() {
        scope = MemoryScope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static Tensor randn(long seed, int... dims) {
        Random r = new Random(seed);
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(CPU, v, Shape.of(dims));
    }

    private static OnnxDefs.Attribute ints(String name, long... v) {
        return new OnnxDefs.Attribute(name, 7, 0, 0, null, null, null, v);
    }

    private static Object run(Map<String, OnnxDefs.Attribute> attrs, Tensor x, Tensor w) {
        OnnxDefs.Node n = new OnnxDefs.Node("up", "ConvTranspose", "", List.of("x", "w"), List.of("y"), attrs);
        return OnnxOps.run(n, List.of(x, w), new OnnxOps.Context(13, false, CPU));
    }

    @Test
    void unequalPadsCropTheUnpaddedResult() {
        Tensor x = randn(1, 1, 2, 3, 4), w = randn(2, 2, 3, 3, 3);
        Map<String, OnnxDefs.Attribute> attrs = new HashMap<>();
        attrs.put("strides", ints("strides", 2, 2));
        attrs.put("pads", ints("pads", 0, 2, 1, 0)); // top 0, left 2, bottom 1, right 0
        Tensor y = (Tensor) run(attrs, x, w);
        Tensor full = ConvTranspose.convTranspose2d(x, w, null, ConvSpec.of(2, 0), 0, 0); // [1, 3, 7, 9]
        Tensor expected = Slicing.slice(Slicing.slice(full, 2, 0, 6, 1), 3, 2, 9, 1);
        assertEquals(expected.shape(), y.shape());
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray());
    }

    /** With output_shape the odd unit of padding goes first; with SAME_UPPER, last (ONNX's rule). */
    @Test
    void outputShapeAndSameAutoPadPlaceTheOddPadAsOnnxSays() {
        Tensor x = randn(3, 1, 2, 3, 4), w = randn(4, 2, 1, 3, 3);
        Map<String, OnnxDefs.Attribute> shaped = new HashMap<>();
        shaped.put("strides", ints("strides", 2, 2));
        shaped.put("output_shape", ints("output_shape", 6, 8));
        Tensor y = (Tensor) run(shaped, x, w);
        assertEquals(Shape.of(1, 1, 6, 8), y.shape());
        Map<String, OnnxDefs.Attribute> padsFirst = Map.of("strides", ints("strides", 2, 2),
                "pads", ints("pads", 1, 1, 0, 0));
        assertArrayEquals(((Tensor) run(padsFirst, x, w)).toFloatArray(), y.toFloatArray());
        Map<String, OnnxDefs.Attribute> same = new HashMap<>();
        same.put("strides", ints("strides", 2, 2));
        same.put("auto_pad", new OnnxDefs.Attribute("auto_pad", 3, 0, 0, "SAME_UPPER".getBytes(StandardCharsets.UTF_8),
                null, null, null));
        Map<String, OnnxDefs.Attribute> padsLast = Map.of("strides", ints("strides", 2, 2),
                "pads", ints("pads", 0, 0, 1, 1));
        assertArrayEquals(((Tensor) run(padsLast, x, w)).toFloatArray(), ((Tensor) run(same, x, w)).toFloatArray());
    }

    @Test
    void outputPaddingAtLeastTheStrideIsRefusedNamingTheNode() {
        Map<String, OnnxDefs.Attribute> attrs = Map.of("strides", ints("strides", 2, 2),
                "output_padding", ints("output_padding", 2, 0));
        var e = assertThrows(OnnxFormatException.class, () -> run(attrs, randn(5, 1, 2, 3, 3), randn(6, 2, 2, 3, 3)));
        assertTrue(e.getMessage().contains("'up'") && e.getMessage().contains("smaller than the stride"),
                e.getMessage());
    }
}
