package org.cnn4j.contract;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.PoolSpec.PoolMode;
import org.cnn4j.ops.Convolution;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Normalization;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Reduction;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward values and gradients of conv2d, pooling, batch norm and cross-entropy against PyTorch. The fixtures
 * hold float32 inputs and float64 references (see tools/golden/make_op_fixtures.py), so the tolerance only has
 * to absorb this backend's float32 rounding: {@code 1e-5 + 1e-4 * |ref|} for every op.
 */
public abstract class GoldenOpsContract extends BackendTestBase {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    static List<String> convCases() {
        return GoldenFixture.cases("conv2d");
    }

    static List<String> poolCases() {
        return GoldenFixture.cases("pool2d");
    }

    static List<String> batchNormCases() {
        return GoldenFixture.cases("batch_norm");
    }

    static List<String> crossEntropyCases() {
        return GoldenFixture.cases("cross_entropy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv2dMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("conv2d", name, backend);
        int[] stride = g.intPair("stride"), padding = g.intPair("padding"), dilation = g.intPair("dilation");
        ConvSpec spec = new ConvSpec(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
                g.params().get("groups").asInt());
        Tensor x = g.param("x");
        Tensor w = g.param("w");
        Tensor b = g.has("b") ? g.param("b") : null;
        Tensor y = Convolution.conv2d(x, w, b, spec);
        g.assertForwardAndGradients(y, x, w, b, ATOL, RTOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void pool2dMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("pool2d", name, backend);
        JsonNode p = g.params();
        Tensor x = g.param("x");
        Tensor y;
        if (p.get("mode").asText().equals("adaptive")) {
            int[] out = g.intPair("output");
            y = Pooling.adaptiveAvgPool2d(x, out[0], out[1]);
        } else {
            int[] k = g.intPair("kernel"), s = g.intPair("stride"), pad = g.intPair("padding");
            PoolMode mode = p.get("mode").asText().equals("max") ? PoolMode.MAX : PoolMode.AVG;
            y = Pooling.pool2d(x, new PoolSpec(mode, k[0], k[1], s[0], s[1], pad[0], pad[1],
                    p.get("ceil_mode").asBoolean(), p.get("count_include_pad").asBoolean()));
        }
        y.backward(g.get("dy"));
        g.assertClose("y", y, ATOL, RTOL);
        g.assertClose("dx", x.grad(), ATOL, RTOL);
    }

    /** Two training steps (output and gradients of the first, running statistics after each), then eval. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNormCases")
    void batchNormMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("batch_norm", name, backend);
        float momentum = (float) g.params().get("momentum").asDouble();
        float eps = (float) g.params().get("eps").asDouble();
        Tensor gamma = g.param("gamma");
        Tensor beta = g.param("beta");
        Tensor runningMean = g.get("running_mean0").copy();
        Tensor runningVar = g.get("running_var0").copy();

        Tensor x1 = g.param("x1");
        Tensor y1 = Normalization.batchNorm(x1, gamma, beta, runningMean, runningVar, true, momentum, eps);
        y1.backward(g.get("dy1"));
        g.assertClose("y1", y1, ATOL, RTOL);
        g.assertClose("dx1", x1.grad(), ATOL, RTOL);
        g.assertClose("dgamma1", gamma.grad(), ATOL, RTOL);
        g.assertClose("dbeta1", beta.grad(), ATOL, RTOL);
        g.assertClose("running_mean1", runningMean, ATOL, RTOL);
        g.assertClose("running_var1", runningVar, ATOL, RTOL);
        gamma.zeroGrad();
        beta.zeroGrad();

        Normalization.batchNorm(g.get("x2"), gamma, beta, runningMean, runningVar, true, momentum, eps);
        g.assertClose("running_mean2", runningMean, ATOL, RTOL);
        g.assertClose("running_var2", runningVar, ATOL, RTOL);

        Tensor x3 = g.param("x3");
        Tensor y3 = Normalization.batchNorm(x3, gamma, beta, runningMean, runningVar, false, momentum, eps);
        y3.backward(g.get("dy3"));
        g.assertClose("y3", y3, ATOL, RTOL);
        g.assertClose("dx3", x3.grad(), ATOL, RTOL);
        g.assertClose("dgamma3", gamma.grad(), ATOL, RTOL);
        g.assertClose("dbeta3", beta.grad(), ATOL, RTOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crossEntropyCases")
    void crossEntropyMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("cross_entropy", name, backend);
        Reduction reduction = Reduction.valueOf(g.params().get("reduction").asText().toUpperCase());
        float smoothing = (float) g.params().get("label_smoothing").asDouble();
        Tensor logits = g.param("logits");
        Tensor loss = Losses.crossEntropy(logits, g.labels("labels"), reduction, smoothing);
        loss.backward();
        g.assertClose("loss", loss, ATOL, RTOL);
        g.assertClose("dlogits", logits.grad(), ATOL, RTOL);
    }
}
