package org.cnn4j.cpu;

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
 * backends, an input already freed, and wrong ranks or shapes each fail with a message naming the op.
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
}
