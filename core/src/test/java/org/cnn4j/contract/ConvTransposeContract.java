package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.ops.ConvTranspose;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transposed convolution on any backend: a hand-computed scatter, PyTorch's values and gradients
 * (tools/golden/make_conv_transpose_fixtures.py; float64 references, so the tolerance {@code 1e-5 + 1e-4 |ref|}
 * only absorbs this backend's float32 rounding, as in {@link GoldenOpsContract}), finite-difference gradients,
 * and argument errors.
 */
public abstract class ConvTransposeContract extends BackendTestBase {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    static List<String> cases() {
        return GoldenFixture.cases("conv_transpose2d");
    }

    @Test
    void eachInputPixelScattersTheKernelAtItsStridedPosition() {
        // one channel, 2x2 input, 2x2 kernel, stride 2: four disjoint copies of the kernel scaled by the pixel
        Tensor x = tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = tensor(new float[] {1, 10, 100, 1000}, 1, 1, 2, 2);
        Tensor y = ConvTranspose.convTranspose2d(x, w, null, ConvSpec.of(2, 0), 0, 0);
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
        assertArrayEquals(new float[] {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000},
                y.toFloatArray(), 1e-6f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("conv_transpose2d", name, backend);
        int[] stride = g.intPair("stride"), padding = g.intPair("padding"), dilation = g.intPair("dilation");
        int[] outPad = g.intPair("output_padding");
        ConvSpec spec = new ConvSpec(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
                g.params().get("groups").asInt());
        Tensor x = g.param("x");
        Tensor w = g.param("w");
        Tensor b = g.has("b") ? g.param("b") : null;
        Tensor y = ConvTranspose.convTranspose2d(x, w, b, spec, outPad[0], outPad[1]);
        g.assertForwardAndGradients(y, x, w, b, ATOL, RTOL);
    }

    @Test
    void gradientsStride2OutputPaddingBias() {
        ConvSpec spec = ConvSpec.of(2, 1);
        GradCheck.check("conv_transpose 3x3 stride 2 pad 1 output padding 1",
                in -> ConvTranspose.convTranspose2d(in[0], in[1], in[2], spec, 1, 1), param(2, 3, 3, 4),
                param(3, 2, 3, 3), param(2));
    }

    @Test
    void gradientsGroupedDilatedAsymmetric() {
        ConvSpec spec = new ConvSpec(3, 2, 1, 0, 2, 1, 2);
        GradCheck.check("conv_transpose grouped dilated 3x2 stride 3x2",
                in -> ConvTranspose.convTranspose2d(in[0], in[1], null, spec, 2, 1), param(1, 4, 3, 3),
                param(4, 3, 3, 2));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = randn(1, 3, 4, 4);
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> ConvTranspose.convTranspose2d(x, randn(2, 2, 3, 3), null, ConvSpec.of(1, 0), 0, 0));
        assertTrue(channels.getMessage().startsWith("conv_transpose2d: input has 3 channels"), channels.getMessage());
        IllegalArgumentException outPad = assertThrows(IllegalArgumentException.class,
                () -> ConvTranspose.convTranspose2d(x, randn(3, 2, 3, 3), null, ConvSpec.of(2, 0), 2, 0));
        assertTrue(outPad.getMessage().contains("smaller than the stride 2x2"), outPad.getMessage());
    }
}
