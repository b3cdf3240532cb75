package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.CounterRng;
import org.cnn4j.nn.ChannelLinear;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.ChannelNorm;
import org.cnn4j.ops.ChannelShuffle;
import org.cnn4j.ops.StochasticDepth;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ops the model zoo added: ShuffleNet's channel shuffle, ConvNeXt's layer norm over channels
 * and channel-wise linear layer, stochastic depth, the SiLU / Hardswish / Hardsigmoid / ReLU6 activations. Values (PyTorch's where they come from a fixture: float32
 * inputs, float64 references, so the tolerance {@code 1e-5 + 1e-4 |ref|} only absorbs float32 rounding, as in
 * {@link GoldenOpsContract}), gradients (finite differences) and argument errors.
 */
public abstract class ZooOpsContract extends BackendTestBase {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    static List<String> layerNormCases() {
        return GoldenFixture.cases("zoo_ops").stream().filter(c -> c.startsWith("layer_norm")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerNormCases")
    void layerNormOverChannelsMatchesPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("zoo_ops", name, backend);
        Tensor x = g.param("x");
        Tensor w = g.param("w");
        Tensor b = g.param("b");
        Tensor y = ChannelNorm.layerNorm(x, w, b, (float) g.params().get("eps").asDouble());
        y.backward(g.get("dy"));
        g.assertClose("y", y, ATOL, RTOL);
        g.assertClose("dx", x.grad(), ATOL, RTOL);
        g.assertClose("dw", w.grad(), ATOL, RTOL);
        g.assertClose("db", b.grad(), ATOL, RTOL);
    }

    static List<String> activationCases() {
        return GoldenFixture.cases("zoo_ops").stream().filter(c -> c.startsWith("activation_")).toList();
    }

    /** SiLU, Hardswish, Hardsigmoid, ReLU6 against PyTorch, the kinks (-3, 0, 3, 6) included exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activationCases")
    void activationsMatchPyTorch(String name) throws IOException {
        GoldenFixture g = GoldenFixture.load("zoo_ops", name, backend);
        Activation act = Activation.valueOf(g.params().get("activation").asText());
        Tensor x = g.param("x");
        Tensor y = Activations.activation(act, 0f, x);
        y.backward(g.get("dy"));
        g.assertClose("y", y, ATOL, RTOL);
        g.assertClose("dx", x.grad(), ATOL, RTOL);
    }

    @Test
    void layerNormGradientAndErrors() {
        GradCheck.check("layer_norm over channels", in -> ChannelNorm.layerNorm(in[0], in[1], in[2], 1e-5f),
                param(2, 4, 2, 3), param(4), param(4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ChannelNorm.layerNorm(param(1, 3, 2, 2), param(4), param(4), 1e-6f));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void channelLinearIsLinearAtEveryPixel() {
        try (ChannelLinear layer = new ChannelLinear(3, 2)) {
            Tensor x = randn(2, 3, 2, 2);
            float[] y = layer.call(x).toFloatArray();
            float[] w = layer.weight().toFloatArray();
            float[] b = layer.bias().toFloatArray();
            float[] xv = x.toFloatArray();
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 2; o++) {
                    for (int p = 0; p < 4; p++) {
                        double expected = b[o];
                        for (int i = 0; i < 3; i++) {
                            expected += (double) w[o * 3 + i] * xv[(n * 3 + i) * 4 + p];
                        }
                        assertEquals(expected, y[(n * 2 + o) * 4 + p], 1e-5 + 1e-5 * Math.abs(expected));
                    }
                }
            }
            GradCheck.check("channel linear", in -> layer.call(in[0]), param(1, 3, 2, 2));
        }
    }

    @Test
    void stochasticDepthDropsWholeRows() {
        Tensor x = tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8, 2);
        float p = 0.5f;
        long seed = 7;
        float[] y = StochasticDepth.stochasticDepth(x, p, true, seed).toFloatArray();
        float[] xv = x.toFloatArray();
        for (int row = 0; row < 8; row++) {
            float keep = CounterRng.uniform(seed, row) >= p ? 2f : 0f;
            assertEquals(xv[2 * row] * keep, y[2 * row], 0f, "row " + row);
            assertEquals(xv[2 * row + 1] * keep, y[2 * row + 1], 0f, "row " + row);
        }
        assertTrue(StochasticDepth.stochasticDepth(x, p, false, seed) == x, "identity in eval mode");
        GradCheck.check("stochastic depth", in -> StochasticDepth.stochasticDepth(in[0], 0.3f, true, 3),
                param(6, 2, 2));
        assertArrayEquals(new float[16], StochasticDepth.stochasticDepth(x, 1f, true, seed).toFloatArray());
    }

    @Test
    void channelShuffleMatchesPyTorch() {
        // torch.nn.functional.channel_shuffle(torch.arange(6.).view(1, 6, 1, 1), g) for g = 2 and 3
        Tensor x = tensor(new float[] {0, 1, 2, 3, 4, 5}, 1, 6, 1, 1);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ChannelShuffle.channelShuffle(x, 2).toFloatArray());
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, ChannelShuffle.channelShuffle(x, 3).toFloatArray());
        // spatial positions and images move with their channel
        float[] v = new float[2 * 4 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        float[] out = ChannelShuffle.channelShuffle(tensor(v, 2, 4, 1, 3), 2).toFloatArray();
        int[] order = {0, 2, 1, 3};
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 4; c++) {
                for (int p = 0; p < 3; p++) {
                    assertEquals(v[(n * 4 + order[c]) * 3 + p], out[(n * 4 + c) * 3 + p], "n" + n + " c" + c);
                }
            }
        }
    }

    @Test
    void channelShuffleGradient() {
        GradCheck.check("channel_shuffle g=2", in -> ChannelShuffle.channelShuffle(in[0], 2), param(2, 6, 3, 2));
        GradCheck.check("channel_shuffle g=3", in -> ChannelShuffle.channelShuffle(in[0], 3), param(1, 6, 2, 2));
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        var shuffle = assertThrows(IllegalArgumentException.class,
                () -> ChannelShuffle.channelShuffle(param(1, 6, 2, 2), 4));
        assertTrue(shuffle.getMessage().contains("groups=4") && shuffle.getMessage().contains("6 channels"),
                shuffle.getMessage());
    }
}
