package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.cnn4j.backend.PoolSpec.PoolMode;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Embedding;
import org.cnn4j.ops.OneD;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1-D convolution, pooling and batch norm (views of the 2-D ops) and embedding lookup, against PyTorch's own 1-D
 * functions (fixtures from tools/golden/make_seq_fixtures.py: float32 inputs, float64 references, so the
 * tolerance {@code 1e-5 + 1e-4 |ref|} only absorbs this backend's float32 rounding, as in GoldenOpsContract),
 * plus finite-difference gradient checks.
 */
public abstract class SequenceOpsContract extends BackendTestBase {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    static List<String> conv1dCases() {
        return GoldenFixture.cases("conv1d");
    }

    static List<String> pool1dCases() {
        return GoldenFixture.cases("pool1d");
    }

    static List<String> batchNorm1dCases() {
        return GoldenFixture.cases("batch_norm1d");
    }

    static List<String> embeddingCases() {
        return GoldenFixture.cases("embedding");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conv1dCases")
    void conv1dMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("conv1d", name, backend);
        JsonNode p = g.params();
        Tensor x = g.param("x");
        Tensor w = g.param("w");
        Tensor b = g.has("b") ? g.param("b") : null;
        Tensor y = OneD.conv1d(x, w, b, p.get("stride").asInt(), p.get("padding").asInt(),
                p.get("dilation").asInt(), p.get("groups").asInt());
        g.assertForwardAndGradients(y, x, w, b, ATOL, RTOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pool1dCases")
    void pool1dMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("pool1d", name, backend);
        Tensor x = g.param("x");
        Tensor y = pool(g.params(), x);
        y.backward(g.get("dy"));
        g.assertClose("y", y, ATOL, RTOL);
        g.assertClose("dx", x.grad(), ATOL, RTOL);
    }

    private static Tensor pool(JsonNode p, Tensor x) {
        return switch (p.get("mode").asText()) {
            case "adaptive_avg" -> OneD.adaptiveAvgPool1d(x, p.get("output").asInt());
            case "adaptive_max" -> OneD.adaptiveMaxPool1d(x, p.get("output").asInt());
            default -> OneD.pool1d(x, p.get("mode").asText().equals("max") ? PoolMode.MAX : PoolMode.AVG,
                    p.get("kernel").asInt(), p.get("stride").asInt(), p.get("padding").asInt(),
                    p.get("ceil_mode").asBoolean(), p.get("count_include_pad").asBoolean());
        };
    }

    /** One training step through the module (output, gradients, running statistics), then eval. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNorm1dCases")
    void batchNorm1dMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("batch_norm1d", name, backend);
        try (BatchNorm1d bn = new BatchNorm1d(g.get("gamma").dim(0))) {
            bn.parameter("weight").copyFrom(g.get("gamma"));
            bn.parameter("bias").copyFrom(g.get("beta"));
            Tensor x1 = g.param("x1");
            Tensor y1 = bn.call(x1);
            y1.backward(g.get("dy1"));
            g.assertClose("y1", y1, ATOL, RTOL);
            g.assertClose("dx1", x1.grad(), ATOL, RTOL);
            g.assertClose("dgamma1", bn.parameter("weight").grad(), ATOL, RTOL);
            g.assertClose("dbeta1", bn.parameter("bias").grad(), ATOL, RTOL);
            g.assertClose("running_mean1", bn.buffer("running_mean"), ATOL, RTOL);
            g.assertClose("running_var1", bn.buffer("running_var"), ATOL, RTOL);
            assertEquals(1f, bn.buffer("num_batches_tracked").item());
            bn.eval();
            Tensor x2 = g.param("x2");
            Tensor y2 = bn.call(x2);
            y2.backward(g.get("dy2"));
            g.assertClose("y2", y2, ATOL, RTOL);
            g.assertClose("dx2", x2.grad(), ATOL, RTOL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("embeddingCases")
    void embeddingMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("embedding", name, backend);
        Tensor w = g.param("w");
        Tensor y = org.cnn4j.ops.Embedding.embedding(g.get("ids"), w, g.params().get("padding_idx").asInt());
        y.backward(g.get("dy"));
        g.assertClose("y", y, 0, 0);
        g.assertClose("dw", w.grad(), ATOL, RTOL);
    }

    @Test
    void conv1dGradients() {
        int[][] cases = {{3, 1, 1, 1, 1}, {5, 2, 0, 1, 1}, {3, 1, 2, 2, 1}, {3, 2, 1, 1, 2}, {2, 3, 1, 3, 4}};
        for (int[] c : cases) {
            int k = c[0], stride = c[1], pad = c[2], dil = c[3], groups = c[4];
            GradCheck.check("conv1d k" + k + " s" + stride + " p" + pad + " d" + dil + " g" + groups,
                    in -> OneD.conv1d(in[0], in[1], in[2], stride, pad, dil, groups),
                    param(2, 4, 11), param(4, 4 / groups, k), param(4));
        }
    }

    @Test
    void pool1dGradients() {
        Object[][] cases = {{PoolMode.MAX, 3, 2, 1, false, true}, {PoolMode.MAX, 2, 2, 0, true, true},
            {PoolMode.AVG, 3, 2, 1, false, false}, {PoolMode.AVG, 3, 2, 1, true, true}};
        for (Object[] c : cases) {
            GradCheck.check("pool1d " + java.util.Arrays.toString(c),
                    in -> OneD.pool1d(in[0], (PoolMode) c[0], (int) c[1], (int) c[2], (int) c[3], (boolean) c[4],
                            (boolean) c[5]), separated(2, 3, 9));
        }
        for (int out : new int[] {1, 3, 4, 12}) {
            GradCheck.check("adaptive max " + out, in -> OneD.adaptiveMaxPool1d(in[0], out), separated(2, 3, 9));
            GradCheck.check("adaptive avg " + out, in -> OneD.adaptiveAvgPool1d(in[0], out), param(2, 3, 9));
        }
    }

    /** Without a padding row (the padding row's value does reach the output, yet by definition gets no gradient). */
    @Test
    void embeddingWeightGradient() {
        Tensor ids = tensor(new float[] {2, 0, 4, 2, 1, 4}, 2, 3);
        GradCheck.check("embedding", in -> org.cnn4j.ops.Embedding.embedding(ids, in[0], -1), param(5, 3));
    }

    @Test
    void embeddingModuleInitialisesLikePyTorch() {
        try (Embedding e = new Embedding(400, 50, 7)) {
            assertEquals(Shape.of(400, 50), e.weight().shape());
            float[] w = e.weight().toFloatArray();
            double sum = 0, sumSq = 0;
            for (int i = 0; i < w.length; i++) {
                if (i / 50 == 7) {
                    assertEquals(0f, w[i], "padding row is zero");
                } else {
                    sum += w[i];
                    sumSq += (double) w[i] * w[i];
                }
            }
            int n = w.length - 50;
            double mean = sum / n, std = Math.sqrt(sumSq / n - mean * mean);
            // N(0, 1) over 19,950 draws: the mean's standard error is 0.007, the std's 0.005; allow 5 of each
            assertEquals(0, mean, 0.035);
            assertEquals(1, std, 0.025);
        }
        try (Embedding last = new Embedding(400, 4, -1); Embedding none = new Embedding(4, 4)) {
            assertEquals(399, last.paddingIdx());
            assertEquals(-1, none.paddingIdx());
        }
    }

    @Test
    void paddingRowGetsNoGradientAndStaysZeroInTraining() {
        try (Embedding e = new Embedding(6, 3, 0)) {
            Tensor ids = tensor(new float[] {0, 1, 0, 5}, 1, 4);
            Tensor y = e.call(ids);
            assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(y.toFloatArray(), 0, 3));
            y.mul(y).sum().backward();
            float[] dw = e.weight().grad().toFloatArray();
            assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(dw, 0, 3));
            assertTrue(Math.abs(dw[3]) + Math.abs(dw[15]) > 0, "the other rows do get gradients");
        }
    }

    @Test
    void embeddingRejectsBadIndices() {
        Tensor w = randn(5, 2);
        for (float bad : new float[] {5, -1, 1.5f, Float.NaN}) {
            Tensor ids = tensor(new float[] {0, bad}, 2);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> org.cnn4j.ops.Embedding.embedding(ids, w, -1));
            assertTrue(e.getMessage().contains("flat position 1") && e.getMessage().contains("[0, 5)"),
                    e.getMessage());
        }
    }

    @Test
    void conv1dModuleHasPyTorchNamesShapesAndInitBounds() {
        try (Conv1d c = new Conv1d(6, 4, 5, 1, 2, 1, 2, true)) {
            assertEquals(List.of("weight", "bias"), List.copyOf(c.stateDict().keySet()));
            assertEquals(Shape.of(4, 3, 5), c.weight().shape());
            double bound = 1 / Math.sqrt(3 * 5); // kaiming_uniform(a = sqrt 5) over fan_in = in/groups * k
            for (float v : c.weight().toFloatArray()) {
                assertTrue(Math.abs(v) <= bound, "weight " + v + " within " + bound);
            }
            for (float v : c.bias().toFloatArray()) {
                assertTrue(Math.abs(v) <= bound, "bias " + v + " within " + bound);
            }
            assertEquals(Shape.of(2, 4, 9), c.call(randn(2, 6, 9)).shape());
        }
    }

    @Test
    void messagesNameTheOneDimensionalOp() {
        Tensor x = randn(1, 2, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> OneD.conv1d(x, randn(3, 2, 6), null, 1, 0, 1, 1));
        assertTrue(e.getMessage().contains("conv1d") && e.getMessage().contains("padded input 4"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> OneD.conv1d(randn(1, 2, 4, 4), randn(3, 2, 1),
                null, 1, 0, 1, 1));
        assertTrue(e2.getMessage().contains("conv1d") && e2.getMessage().contains("[N, C, L]"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> OneD.pool1d(x, PoolMode.MAX, 6, 1, 0, false, true));
        assertTrue(e3.getMessage().contains("max_pool1d") && e3.getMessage().contains("kernel 6"), e3.getMessage());
        try (BatchNorm1d bn = new BatchNorm1d(2)) {
            var e4 = assertThrows(IllegalArgumentException.class, () -> bn.call(randn(2, 3, 4)));
            assertTrue(e4.getMessage().contains("BatchNorm1d(2)"), e4.getMessage());
        }
    }

    @Test
    void inferenceLeavesNoIntermediateBehind() {
        Tensor x = randn(2, 3, 10);
        Tensor w = param(4, 3, 3);
        try (NoGrad ng = NoGrad.enter()) {
            Tensor y = OneD.adaptiveMaxPool1d(OneD.conv1d(x, w, null, 1, 1, 1, 1), 3);
            assertNull(y.gradFn());
        }
    }
}
