package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.cnn4j.contract.NumericAsserts.awayFromZero;
import static org.cnn4j.contract.NumericAsserts.gaussian;
import static org.cnn4j.contract.NumericAsserts.uniformParam;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Broadcasting binary ops, unary and scalar ops, sum/mean reductions: values and gradients. */
public abstract class ElementwiseContract extends BackendTestBase {

    private static final int[][][] BROADCAST_CASES = {
        {{2, 3, 4, 5}, {3, 1, 1}},
        {{4, 5}, {2, 1, 4, 5}},
        {{}, {3, 4}},
        {{3, 4}, {}},
        {{2, 3}, {2, 3}},
        {{3, 1}, {1, 4}},
    };

    @Test
    void binaryGradientsWithBroadcasting() {
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] c : BROADCAST_CASES) {
                Tensor a = param(c[0]);
                // keep divisors away from zero
                Tensor b = op == BinaryOp.DIV ? uniformParam(backend, random, 0.5f, 2f, c[1]) : param(c[1]);
                GradCheck.check(op + " " + Arrays.toString(c[0]) + " " + Arrays.toString(c[1]),
                        in -> Arithmetic.binary(op, in[0], in[1]), a, b);
            }
        }
    }

    @Test
    void binaryValuesMatchIndexReference() {
        int[][][] cases = {{{4, 3, 5, 6}, {3, 1, 1}}, {{2, 1, 5}, {4, 1}}, {{1, 3, 1, 2}, {2, 3, 4, 1}},
            {{7, 9}, {7, 9}}, {{}, {5}}, {{6, 1}, {}}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] c : cases) {
                // made on the host: the reference must not be computed from values read back from the backend
                float[] av = gaussian(random, (int) Shape.of(c[0]).numel());
                float[] bv = new float[(int) Shape.of(c[1]).numel()];
                for (int i = 0; i < bv.length; i++) {
                    bv[i] = 0.5f + 1.5f * random.nextFloat(); // divisors in [0.5, 2)
                }
                Tensor out = Arithmetic.binary(op, tensor(av, c[0]), tensor(bv, c[1]));
                assertClose(op + " " + Arrays.toString(c[0]) + " " + Arrays.toString(c[1]),
                        referenceBinary(op, av, c[0], bv, c[1], out.shape().dims()), out.toFloatArray(), 0, 1e-6);
            }
        }
    }

    @Test
    void binaryHandComputedAndAliasedOutput() {
        Tensor a = tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = tensor(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        Tensor col = tensor(new float[] {2, 4}, 2, 1);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 1, 1.25f, 1.5f}, a.div(col).toFloatArray());
        backend.binary(BinaryOp.SUB, a, b, a); // out aliases a
        assertArrayEquals(new float[] {-9, -18, -27, -6, -15, -24}, a.toFloatArray());
    }

    @Test
    void broadcastMismatchNamesOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> param(2, 3).mul(param(4)));
        assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void scalarOpsValuesAndGradients() {
        Tensor x = tensor(new float[] {0.5f, 1f, 2f, 4f}, 4);
        assertArrayEquals(new float[] {3.5f, 4f, 5f, 7f}, Arithmetic.scalar(ScalarOp.ADD, x, 3f).toFloatArray());
        assertArrayEquals(new float[] {-1f, -2f, -4f, -8f}, Arithmetic.scalar(ScalarOp.MUL, x, -2f).toFloatArray());
        assertArrayEquals(new float[] {0.25f, 1f, 4f, 16f}, Arithmetic.scalar(ScalarOp.POW, x, 2f).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 0f, -1f, -3f}, Arithmetic.scalar(ScalarOp.RSUB, x, 1f).toFloatArray());
        assertArrayEquals(new float[] {2f, 1f, 0.5f, 0.25f}, Arithmetic.scalar(ScalarOp.RDIV, x, 1f).toFloatArray());
        for (ScalarOp op : ScalarOp.values()) {
            for (float s : new float[] {2.5f, -1.5f}) {
                Tensor p = uniformParam(backend, random, 0.5f, 2f, 3, 4);
                GradCheck.check(op + " " + s, in -> Arithmetic.scalar(op, in[0], s), p);
            }
        }
    }

    @Test
    void unaryOpsValuesAndGradients() {
        Tensor x = tensor(new float[] {-2f, 0.25f, 4f}, 3);
        assertArrayEquals(new float[] {2f, -0.25f, -4f}, Arithmetic.unary(UnaryOp.NEG, x).toFloatArray());
        assertArrayEquals(new float[] {4f, 0.0625f, 16f}, Arithmetic.unary(UnaryOp.SQUARE, x).toFloatArray());
        assertArrayEquals(new float[] {2f, 0.25f, 4f}, Arithmetic.unary(UnaryOp.ABS, x).toFloatArray());
        assertArrayEquals(new float[] {-1f, 1f, 1f}, Arithmetic.unary(UnaryOp.SIGN, x).toFloatArray());
        assertClose("exp", new double[] {Math.exp(-2), Math.exp(0.25), Math.exp(4)},
                Arithmetic.unary(UnaryOp.EXP, x).toFloatArray(), 0, 1e-6);
        Tensor pos = tensor(new float[] {0.25f, 1f, 4f}, 3);
        assertClose("log", new double[] {Math.log(0.25), 0, Math.log(4)},
                Arithmetic.unary(UnaryOp.LOG, pos).toFloatArray(), 1e-7, 1e-6);
        assertArrayEquals(new float[] {0.5f, 1f, 2f}, Arithmetic.unary(UnaryOp.SQRT, pos).toFloatArray());
        for (UnaryOp op : UnaryOp.values()) {
            if (op == UnaryOp.SIGN) {
                continue; // piecewise constant: its gradient is zero, checked below
            }
            boolean positiveOnly = op == UnaryOp.LOG || op == UnaryOp.SQRT;
            Tensor p = positiveOnly ? uniformParam(backend, random, 0.5f, 3f, 2, 3, 4)
                    : awayFromZero(backend, random, 2, 3, 4);
            GradCheck.check(op.name(), in -> Arithmetic.unary(op, in[0]), p);
        }
        Tensor p = param(3);
        Arithmetic.unary(UnaryOp.SIGN, p).sum().backward();
        assertArrayEquals(new float[3], p.grad().toFloatArray());
    }

    @Test
    void sumAndMeanOverAxes() {
        Tensor x = tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        Tensor s1 = Arithmetic.sum(x, new int[] {1}, false);
        assertEquals(Shape.of(2, 2), s1.shape());
        assertArrayEquals(new float[] {9, 12, 27, 30}, s1.toFloatArray());
        Tensor s02 = Arithmetic.sum(x, new int[] {0, -1}, true);
        assertEquals(Shape.of(1, 3, 1), s02.shape());
        assertArrayEquals(new float[] {1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12}, s02.toFloatArray());
        assertEquals(6.5f, x.mean().item(), 1e-6f);
        int[][] axesCases = {{1}, {0, 2}, {-1}, {0, 1, 2}, {0}};
        for (int[] axes : axesCases) {
            for (boolean keep : new boolean[] {false, true}) {
                String name = Arrays.toString(axes) + " keepDim=" + keep;
                GradCheck.check("sum " + name, in -> Arithmetic.sum(in[0], axes, keep), param(2, 3, 4));
                GradCheck.check("mean " + name, in -> Arithmetic.mean(in[0], axes, keep), param(2, 3, 4));
            }
        }
    }

    @Test
    void reduceSumToHandComputedAndAccurate() {
        Tensor x = tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        Tensor perChannel = Tensor.zeros(backend, Shape.of(3, 1));
        backend.reduceSumTo(x, perChannel);
        assertArrayEquals(new float[] {1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12}, perChannel.toFloatArray());
        Tensor lastAxis = Tensor.zeros(backend, Shape.of(2));
        backend.reduceSumTo(x, lastAxis);
        assertArrayEquals(new float[] {1 + 3 + 5 + 7 + 9 + 11, 2 + 4 + 6 + 8 + 10 + 12}, lastAxis.toFloatArray());
        // 2^22 copies of 0.1f: naive float accumulation drifts by ~10%, double stays exact to float rounding
        int n = 1 << 22;
        Tensor many = Tensor.full(backend, Shape.of(4, n / 4), 0.1f);
        Tensor total = Tensor.zeros(backend, Shape.scalar());
        backend.reduceSumTo(many, total);
        assertClose("sum of 2^22 x 0.1f", new double[] {(double) 0.1f * n}, total.toFloatArray(), 0, 1e-6);
        Tensor rows = Tensor.zeros(backend, Shape.of(4, 1));
        backend.reduceSumTo(many, rows);
        double quarter = (double) 0.1f * (n / 4);
        assertClose("row sums", new double[] {quarter, quarter, quarter, quarter}, rows.toFloatArray(), 0, 1e-6);
    }

    /** Straight index arithmetic, independent of the backend's broadcasting plan. */
    static double[] referenceBinary(BinaryOp op, float[] a, int[] aDims, float[] b, int[] bDims, int[] outDims) {
        int n = (int) Shape.of(outDims).numel();
        double[] out = new double[n];
        int[] idx = new int[outDims.length];
        for (int i = 0; i < n; i++) {
            int rest = i;
            for (int d = outDims.length - 1; d >= 0; d--) {
                idx[d] = rest % outDims[d];
                rest /= outDims[d];
            }
            float x = a[offset(idx, aDims)];
            float y = b[offset(idx, bDims)];
            out[i] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
            };
        }
        return out;
    }

    private static int offset(int[] outIdx, int[] dims) {
        int shift = outIdx.length - dims.length;
        int off = 0;
        for (int d = 0; d < dims.length; d++) {
            off = off * dims[d] + (dims[d] == 1 ? 0 : outIdx[d + shift]);
        }
        return off;
    }
}
