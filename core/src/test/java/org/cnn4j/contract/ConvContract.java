package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.ops.Convolution;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** conv2d on any backend: hand-computed values, finite-difference gradients, and argument errors. */
public abstract class ConvContract extends BackendTestBase {

    private Tensor range(int... dims) {
        int n = Math.toIntExact(Shape.of(dims).numel());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return tensor(v, dims);
    }

    @Test
    void crossCorrelatesWithoutFlippingTheKernel() {
        Tensor x = range(1, 1, 4, 4);
        Tensor w = tensor(new float[] {1, 0, 0, 0, 0, 0, 0, 0, -1}, 1, 1, 3, 3);
        Tensor y = Convolution.conv2d(x, w, tensor(new float[] {0.5f}, 1), ConvSpec.of(1, 0));
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        // y[i,j] = x[i,j] - x[i+2,j+2] + 0.5 = -10 + 0.5 (a flipped kernel would give +10)
        assertArrayEquals(new float[] {-9.5f, -9.5f, -9.5f, -9.5f}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void strideAndPaddingSumTheRightWindows() {
        Tensor x = range(1, 1, 3, 3);
        Tensor w = Tensor.full(backend, Shape.of(1, 1, 3, 3), 1f);
        Tensor y = Convolution.conv2d(x, w, null, ConvSpec.of(2, 1));
        // windows centred on (0,0), (0,2), (2,0), (2,2) of [[1,2,3],[4,5,6],[7,8,9]] with zero padding
        assertArrayEquals(new float[] {12, 16, 24, 28}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void dilationSpreadsTheTaps() {
        Tensor x = range(1, 1, 5, 5);
        Tensor w = Tensor.full(backend, Shape.of(1, 1, 2, 2), 1f);
        Tensor y = Convolution.conv2d(x, w, null, ConvSpec.of(1, 0, 3, 1));
        // taps at (0,0), (0,3), (3,0), (3,3) from each output position; output is 2x2
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {1 + 4 + 16 + 19, 2 + 5 + 17 + 20, 6 + 9 + 21 + 24, 7 + 10 + 22 + 25},
                y.toFloatArray(), 1e-6f);
    }

    @Test
    void groupsKeepChannelsApart() {
        Tensor x = tensor(new float[] {2, 3}, 1, 2, 1, 1);
        Tensor w = tensor(new float[] {10, 100}, 2, 1, 1, 1);
        Tensor y = Convolution.conv2d(x, w, null, ConvSpec.of(1, 0, 1, 2));
        assertArrayEquals(new float[] {20, 300}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void backwardBiasSumsOverBatchAndPixels() {
        Tensor dy = range(2, 3, 2, 2);
        Tensor db = Tensor.empty(backend, Shape.of(3));
        backend.conv2dBackwardBias(dy, db);
        // channel k of image n holds 4 consecutive values starting at 1 + 4*(3n + k)
        assertArrayEquals(new float[] {(1 + 2 + 3 + 4) + (13 + 14 + 15 + 16), (5 + 6 + 7 + 8) + (17 + 18 + 19 + 20),
            (9 + 10 + 11 + 12) + (21 + 22 + 23 + 24)}, db.toFloatArray(), 1e-5f);
    }

    private void gradCheck(String name, int[] xDims, int[] wDims, boolean bias, ConvSpec spec) {
        Tensor x = param(xDims), w = param(wDims);
        if (bias) {
            Tensor b = param(wDims[0]);
            GradCheck.check(name, in -> Convolution.conv2d(in[0], in[1], in[2], spec), x, w, b);
        } else {
            GradCheck.check(name, in -> Convolution.conv2d(in[0], in[1], null, spec), x, w);
        }
    }

    @Test
    void gradients3x3PaddedWithBias() {
        gradCheck("conv 3x3 pad 1 + bias", new int[] {2, 3, 6, 5}, new int[] {4, 3, 3, 3}, true, ConvSpec.of(1, 1));
    }

    @Test
    void gradientsStride2() {
        gradCheck("conv 3x3 stride 2", new int[] {1, 2, 7, 7}, new int[] {3, 2, 3, 3}, true, ConvSpec.of(2, 0));
    }

    @Test
    void gradientsDilation2() {
        gradCheck("conv 3x3 dilation 2", new int[] {1, 2, 6, 7}, new int[] {2, 2, 3, 3}, false,
                ConvSpec.of(1, 2, 2, 1));
    }

    @Test
    void gradientsGroups2() {
        gradCheck("conv groups 2", new int[] {2, 4, 5, 5}, new int[] {4, 2, 3, 3}, true, ConvSpec.of(1, 1, 1, 2));
    }

    @Test
    void gradientsDepthwiseStride2() {
        gradCheck("conv depthwise", new int[] {1, 3, 6, 6}, new int[] {3, 1, 3, 3}, true, ConvSpec.of(2, 1, 1, 3));
    }

    @Test
    void gradients1x1() {
        gradCheck("conv 1x1", new int[] {2, 4, 3, 3}, new int[] {5, 4, 1, 1}, true, ConvSpec.of(1, 0));
    }

    @Test
    void gradientsAnisotropic5x3() {
        gradCheck("conv 5x3 stride 2x1", new int[] {1, 1, 8, 7}, new int[] {2, 1, 5, 3}, false,
                new ConvSpec(2, 1, 2, 1, 1, 1, 1));
    }

    private IllegalArgumentException badConv(int[] xDims, int[] wDims, int[] biasDims, ConvSpec spec) {
        Tensor x = randn(xDims), w = randn(wDims), b = biasDims == null ? null : randn(biasDims);
        return assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, w, b, spec));
    }

    private static void assertMentions(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void rejectsChannelMismatch() {
        var e = badConv(new int[] {1, 3, 8, 8}, new int[] {4, 2, 3, 3}, null, ConvSpec.of(1, 1));
        assertMentions(e, "conv2d", "input has 3 channels", "expects 2", "[4, 2, 3, 3]");
    }

    @Test
    void rejectsKernelLargerThanPaddedInput() {
        var e = badConv(new int[] {1, 1, 4, 4}, new int[] {1, 1, 7, 7}, null, ConvSpec.of(1, 1));
        assertMentions(e, "conv2d", "kernel 7x7", "padded input 6x6");
    }

    @Test
    void rejectsDilatedKernelLargerThanPaddedInput() {
        var e = badConv(new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}, null, ConvSpec.of(1, 0, 3, 1));
        assertMentions(e, "conv2d", "dilated 7x7", "padded input 5x5");
    }

    @Test
    void rejectsGroupsThatDoNotDivideChannels() {
        var e = badConv(new int[] {1, 6, 8, 8}, new int[] {4, 3, 3, 3}, null, ConvSpec.of(1, 1, 1, 4));
        assertMentions(e, "conv2d", "groups=4", "input channels (6)", "output channels (4)");
    }

    @Test
    void rejectsWrongBiasShape() {
        var e = badConv(new int[] {1, 2, 5, 5}, new int[] {4, 2, 3, 3}, new int[] {5}, ConvSpec.of(1, 1));
        assertMentions(e, "conv2d", "expected bias of shape [4]", "got [5]");
    }

    @Test
    void rejectsInputThatIsNot4d() {
        var e = badConv(new int[] {2, 5, 5}, new int[] {4, 2, 3, 3}, null, ConvSpec.of(1, 1));
        assertMentions(e, "conv2d", "[N, C, H, W]", "[2, 5, 5]");
    }
}
