package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Regularization;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The named shortcuts of the ops (neg, exp, maxPool2d, ...) call the op they name, and the ops' edge cases:
 * softmax of a scalar or an empty tensor, dropout's probability range.
 */
class OpWrappersTest {
    private final CpuBackend cpu = new CpuBackend();

    private Tensor t(float[] v, int... dims) {
        return Tensor.of(cpu, v, Shape.of(dims));
    }

    @Test
    void shortcutsEqualTheGeneralOp() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = t(new float[] {0.5f, 1.5f, 2f, 3f}, 4);
            Tensor y = t(new float[] {1f, 0.25f, -1f, 2f}, 4);
            assertArrayEquals(Arithmetic.unary(UnaryOp.NEG, x).toFloatArray(), Arithmetic.neg(x).toFloatArray());
            assertArrayEquals(Arithmetic.unary(UnaryOp.EXP, x).toFloatArray(), Arithmetic.exp(x).toFloatArray());
            assertArrayEquals(Arithmetic.unary(UnaryOp.LOG, x).toFloatArray(), Arithmetic.log(x).toFloatArray());
            assertArrayEquals(Arithmetic.unary(UnaryOp.SQRT, x).toFloatArray(), Arithmetic.sqrt(x).toFloatArray());
            assertArrayEquals(Arithmetic.unary(UnaryOp.SQUARE, x).toFloatArray(),
                    Arithmetic.square(x).toFloatArray());
            assertArrayEquals(Arithmetic.unary(UnaryOp.ABS, y).toFloatArray(), Arithmetic.abs(y).toFloatArray());
            assertArrayEquals(Arithmetic.scalar(ScalarOp.POW, x, 3f).toFloatArray(),
                    Arithmetic.pow(x, 3f).toFloatArray());
            assertArrayEquals(new float[] {-0.5f, 1.25f, 3f, 1f}, Arithmetic.sub(x, y).toFloatArray());
            for (Activation act : new Activation[] {Activation.SILU, Activation.HARDSWISH, Activation.HARDSIGMOID,
                Activation.RELU6}) {
                Tensor named = switch (act) {
                    case SILU -> Activations.silu(y);
                    case HARDSWISH -> Activations.hardswish(y);
                    case HARDSIGMOID -> Activations.hardsigmoid(y);
                    default -> Activations.relu6(y);
                };
                assertArrayEquals(Activations.activation(act, 0f, y).toFloatArray(), named.toFloatArray(),
                        act.toString());
            }
            Tensor img = t(new float[] {1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 6, 2, 7, 1, 1, 9}, 1, 1, 4, 4);
            assertArrayEquals(Pooling.pool2d(img, PoolSpec.max(2, 2, 0)).toFloatArray(),
                    Pooling.maxPool2d(img, 2, 2, 0).toFloatArray());
            assertArrayEquals(Pooling.pool2d(img, PoolSpec.avg(2, 2, 0)).toFloatArray(),
                    Pooling.avgPool2d(img, 2, 2, 0).toFloatArray());
        }
    }

    @Test
    void edgeCasesAreRejected() {
        try (MemoryScope scope = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> Activations.softmax(t(new float[] {1f})));
            assertThrows(IllegalArgumentException.class, () -> Activations.logSoftmax(t(new float[0], 0, 3)));
            Tensor x = t(new float[] {1f, 2f}, 2);
            assertThrows(IllegalArgumentException.class, () -> Regularization.dropout(x, 1f, true, 1L));
            assertThrows(IllegalArgumentException.class, () -> Regularization.dropout(x, -0.01f, true, 1L));
            assertArrayEquals(x.toFloatArray(), Regularization.dropout(x, 0f, true, 1L).toFloatArray());
        }
    }
}
