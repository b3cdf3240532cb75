package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.Convolution;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.MatMul;
import org.cnn4j.ops.Normalization;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Reduction;
import org.cnn4j.ops.Regularization;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every op's argument checks (backend-independent code in core, so run once, here): inputs on two different
 * backends, an input already freed, and wrong ranks or shapes each fail with a message naming the op; the
 * values at the edge of each allowed range pass.
 */
class OpArgumentChecksTest {
    private final CpuBackend one = new CpuBackend();
    private final CpuBackend other = new CpuBackend();
    private final Random random = new Random(1);
    private MemoryScope scope;

    @BeforeEach
    void open() {
        scope = MemoryScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private Tensor t(int... dims) {
        return Tensor.randn(one, Shape.of(dims), random);
    }

    private Tensor elsewhere(int... dims) {
        return Tensor.randn(other, Shape.of(dims), random);
    }

    private Tensor freed(int... dims) {
        Tensor x = t(dims);
        x.close();
        return x;
    }

    private static void fails(String op, Executable call) {
        Exception e = assertThrows(RuntimeException.class, call, op);
        assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, op + ": " + e);
        assertTrue(e.getMessage().startsWith(op + ":"), op + ": " + e.getMessage());
    }

    @Test
    void inputsOnTwoBackends() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> MatMul.matmul(t(2, 3), elsewhere(3, 4)));
        assertTrue(e.getMessage().contains("different backends (cpu and cpu)"), e.getMessage());
        fails("linear", () -> MatMul.linear(t(2, 3), t(4, 3), elsewhere(4)));
        fails("conv2d", () -> Convolution.conv2d(t(1, 2, 5, 5), elsewhere(3, 2, 3, 3), null, ConvSpec.of(1, 1)));
        fails("batch_norm", () -> Normalization.batchNorm(t(2, 3), t(3), t(3), t(3), elsewhere(3), false, 0.1f,
                1e-5f));
        fails("concat", () -> Shapes.concat(0, t(2, 3), elsewhere(2, 3)));
    }

    @Test
    void freedInputs() {
        fails("tanh", () -> Activations.activation(Activation.TANH, 0f, freed(3)));
        fails("softmax", () -> Activations.softmax(freed(2, 3)));
        fails("mul", () -> Arithmetic.scalar(ScalarOp.MUL, freed(3), 2f));
        fails("exp", () -> Arithmetic.unary(UnaryOp.EXP, freed(3)));
        fails("sum", () -> Arithmetic.sum(freed(2, 3), new int[] {1}, false));
        fails("cross_entropy", () -> Losses.crossEntropy(freed(2, 3), new int[] {0, 1}));
        fails("dropout", () -> Regularization.dropout(freed(4), 0.5f, true, 1L));
        fails("max_pool2d", () -> Pooling.pool2d(freed(1, 1, 4, 4), PoolSpec.max(2, 2, 0)));
        fails("adaptive_avg_pool2d", () -> Pooling.adaptiveAvgPool2d(freed(1, 1, 4, 4), 2, 2));
    }

    @Test
    void wrongRanksAndShapes() {
        fails("matmul", () -> MatMul.matmul(t(2, 3, 1), t(3, 4)));
        fails("matmul", () -> MatMul.matmul(t(2, 3), t(3)));
        fails("linear", () -> MatMul.linear(t(2, 3, 1), t(4, 3), null));
        fails("linear", () -> MatMul.linear(t(2, 3), t(4, 3, 1), null));
        fails("linear", () -> MatMul.linear(t(2, 3), t(4, 3), t(3)));
        fails("nll_loss", () -> Losses.nllLoss(t(2, 3, 1), new int[] {0, 1}, Reduction.MEAN, 0f));
        fails("batch_norm", () -> Normalization.batchNorm(t(2, 3), t(4), t(3), t(3), t(3), false, 0.1f, 1e-5f));
        fails("batch_norm", () -> Normalization.batchNorm(t(2, 3), t(3), t(4), t(3), t(3), false, 0.1f, 1e-5f));
        fails("batch_norm", () -> Normalization.batchNorm(t(2, 3), t(3), t(3), t(4), t(3), false, 0.1f, 1e-5f));
        fails("batch_norm", () -> Normalization.batchNorm(t(2, 3), t(3), t(3), t(3), t(4), false, 0.1f, 1e-5f));
    }

    /** The kernel checks labels itself too (core's Losses does first): the backend can be called directly. */
    @Test
    void nllKernelRejectsLabelsOutsideTheClasses() {
        float[] logp = {-1f, -2f, -3f};
        float[] losses = new float[1];
        CpuLoss.nllForward(logp, 1, 3, new float[] {0f}, 0f, losses);
        assertTrue(losses[0] == 1f, "label 0 is a class");
        for (float bad : new float[] {-1f, 3f, 0.5f}) {
            assertThrows(IllegalArgumentException.class, () -> CpuLoss.nllForward(logp, 1, 3, new float[] {bad}, 0f,
                    losses), "label " + bad);
        }
    }

    private static void failsSaying(String text, Executable call) {
        Exception e = assertThrows(IllegalArgumentException.class, call, text);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void edgesOfTheAllowedRanges() {
        // a label equal to the class count is core's error (the kernel would also refuse it, with its own words)
        failsSaying("label 3 at position 1 is outside [0, 3)",
                () -> Losses.nllLoss(t(2, 3), new int[] {0, 3}, Reduction.MEAN, 0f));
        // label smoothing 1 is allowed (uniform targets), anything above is not
        float[] logp = {-1f, -2f, -3f};
        float smoothedAll = Losses.nllLoss(Tensor.of(one, logp, Shape.of(1, 3)), new int[] {0}, Reduction.SUM, 1f)
                .item();
        assertEquals(2f, smoothedAll, 1e-6f, "smoothing 1: the mean of -log p over the classes");
        failsSaying("label smoothing must be in [0, 1]",
                () -> Losses.nllLoss(t(1, 3), new int[] {0}, Reduction.MEAN, 1.001f));
        float[] uniform = {1f / 3, 1f / 3, 1f / 3};
        Losses.softCrossEntropy(t(1, 3), uniform, Reduction.MEAN, 1f).close();
        failsSaying("label smoothing must be in [0, 1]",
                () -> Losses.softCrossEntropy(t(1, 3), uniform, Reduction.MEAN, 1.001f));
        fails("soft_cross_entropy", () -> Losses.softCrossEntropy(t(3), uniform, Reduction.MEAN, 0f));
        fails("soft_cross_entropy", () -> Losses.softCrossEntropy(freed(1, 3), uniform, Reduction.MEAN, 0f));
        // per-sample losses without a graph stay readable
        Tensor perSample = Losses.nllLoss(Tensor.of(one, logp, Shape.of(3, 1)), new int[] {0, 0, 0}, Reduction.NONE,
                0f);
        assertArrayEquals(new float[] {1f, 2f, 3f}, perSample.toFloatArray());
        // softmax of a vector (rank 1 is the least it takes)
        assertArrayEquals(new float[] {0.5f, 0.5f}, Activations.softmax(Tensor.of(one, new float[] {2f, 2f},
                Shape.of(2))).toFloatArray());
        // the expected channel count of a grouped convolution: weight [4, 3, 1, 1] in 2 groups wants 6 channels
        failsSaying("expects 6", () -> Convolution.conv2d(t(1, 4, 2, 2), t(4, 3, 1, 1), null,
                new ConvSpec(1, 1, 0, 0, 1, 1, 2)));
        // training batch norm needs more than one value per channel: two are enough
        Normalization.batchNorm(t(2, 3), t(3), t(3), t(3), Tensor.full(one, Shape.of(3), 1f), true, 0.1f, 1e-5f)
                .close();
        failsSaying("more than 1 value per channel", () -> Normalization.batchNorm(t(1, 3), t(3), t(3), t(3),
                Tensor.full(one, Shape.of(3), 1f), true, 0.1f, 1e-5f));
        // two inferred dimensions, the first at axis 0
        failsSaying("only one dimension can be -1", () -> Shapes.reshape(t(2, 3), -1, -1));
    }
}
