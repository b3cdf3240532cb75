package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamParams;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.SgdParams;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Backend method on random inputs, on the CPU reference and on CUDA, compared element-wise with
 * {@code |gpu - cpu| <= atol + rtol * |cpu|} (llm.c's rule). In-place arguments are compared too.
 */
@RequiresCuda
class CudaCpuParityTest {
    private final Backend cpu = new CpuBackend();
    private Backend gpu;
    private Random random;
    private MemoryScope scope;
    private long liveBefore;

    @BeforeEach
    void open() {
        gpu = CudaTestSupport.backend();
        liveBefore = gpu.liveBytes();
        random = new Random(7);
        scope = MemoryScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
        assertEquals(liveBefore, gpu.liveBytes(), "CUDA live bytes after the test");
    }

    /** One operation written against a backend: inputs first, then outputs (all pre-allocated). */
    interface Op {
        void run(Backend b, Tensor[] t);
    }

    private float[] randn(int[] dims) {
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Runs {@code op} on both backends with identical data ({@code data[i]} null: random normal). */
    private void check(String name, float atol, float rtol, int[][] shapes, float[][] data, Op op) {
        Tensor[] c = new Tensor[shapes.length];
        Tensor[] g = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            float[] v = data != null && i < data.length && data[i] != null ? data[i] : randn(shapes[i]);
            c[i] = Tensor.of(cpu, v, Shape.of(shapes[i]));
            g[i] = Tensor.of(gpu, v, Shape.of(shapes[i]));
        }
        op.run(cpu, c);
        op.run(gpu, g);
        gpu.synchronize();
        for (int i = 0; i < shapes.length; i++) {
            float[] want = c[i].toFloatArray();
            float[] got = g[i].toFloatArray();
            for (int j = 0; j < want.length; j++) {
                float tol = atol + rtol * Math.abs(want[j]);
                boolean same = Float.isNaN(want[j]) ? Float.isNaN(got[j]) : Math.abs(got[j] - want[j]) <= tol;
                if (!same) {
                    fail(name + ": tensor " + i + " element " + j + ": cuda " + got[j] + " vs cpu " + want[j]
                            + " (tolerance " + tol + ")");
                }
            }
        }
    }

    private static int[][] s(int[]... shapes) {
        return shapes;
    }

    private static int[] d(int... dims) {
        return dims;
    }

    @Test
    void gemmAllTransposes() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] a = ta ? d(37, 19) : d(19, 37);
                int[] b = tb ? d(23, 37) : d(37, 23);
                check("gemm " + ta + tb, 1e-4f, 1e-4f, s(a, b, d(19, 23)), null,
                        (be, t) -> be.gemm(ta, tb, 19, 23, 37, 0.7f, t[0], t[1], 0.3f, t[2]));
            }
        }
    }

    @Test
    void convolutionAllDirections() {
        // cuDNN may use TF32 for convolutions on Ampere+ unless -Dcnn4j.cuda.tf32=false: tolerance allows it
        float tol = Boolean.parseBoolean(System.getProperty("cnn4j.cuda.tf32", "true")) ? 2e-2f : 1e-4f;
        ConvSpec[] specs = {ConvSpec.of(1, 1), new ConvSpec(2, 1, 0, 2, 1, 2, 1), ConvSpec.of(1, 1, 1, 2)};
        for (ConvSpec spec : specs) {
            int[] x = d(2, 4, 9, 11);
            int[] w = d(6, 4 / spec.groups(), 3, 3);
            int[] y = d(2, 6, spec.outH(9, 3), spec.outW(11, 3));
            check("conv fwd " + spec, tol, tol, s(x, w, y), null, (b, t) -> b.conv2dForward(t[0], t[1], t[2], spec));
            check("conv bwd data " + spec, tol, tol, s(y, w, x), null,
                    (b, t) -> b.conv2dBackwardData(t[0], t[1], t[2], spec));
            check("conv bwd filter " + spec, tol, tol, s(x, y, w), null,
                    (b, t) -> b.conv2dBackwardFilter(t[0], t[1], t[2], spec));
        }
        check("conv bwd bias", 1e-4f, 1e-4f, s(d(3, 5, 4, 4), d(5)), null, (b, t) -> b.conv2dBackwardBias(t[0], t[1]));
    }

    @Test
    void poolingIncludingCeilModeAndPadding() {
        PoolSpec[] specs = {PoolSpec.max(3, 2, 1), PoolSpec.max(3, 2, 0).withCeilMode(true), PoolSpec.avg(3, 2, 1),
            PoolSpec.avg(3, 2, 1).withCountIncludePad(false), PoolSpec.avg(3, 2, 1).withCeilMode(true),
            PoolSpec.avg(2, 2, 0).withCeilMode(true).withCountIncludePad(false)};
        for (PoolSpec spec : specs) {
            int[] x = d(2, 3, 10, 9);
            int[] y = d(2, 3, spec.outH(10), spec.outW(9));
            check("pool fwd " + spec, 1e-5f, 1e-5f, s(x, y), null, (b, t) -> b.pool2dForward(t[0], t[1], spec));
            check("pool bwd " + spec, 1e-5f, 1e-5f, s(x, y, y, x), null, (b, t) -> {
                b.pool2dForward(t[0], t[1], spec);
                b.pool2dBackward(t[0], t[1], t[2], t[3], spec);
            });
        }
        check("max pool ties route to the first maximum", 0f, 0f, s(d(1, 1, 4, 4), d(1, 1, 2, 2), d(1, 1, 2, 2),
                d(1, 1, 4, 4)), new float[][] {new float[16]}, (b, t) -> {
                    PoolSpec spec = PoolSpec.max(2, 2, 0);
                    b.pool2dForward(t[0], t[1], spec);
                    b.pool2dBackward(t[0], t[1], t[2], t[3], spec);
                });
        check("adaptive avg fwd", 1e-5f, 1e-5f, s(d(2, 3, 10, 7), d(2, 3, 3, 4)), null,
                (b, t) -> b.adaptiveAvgPool2dForward(t[0], t[1]));
        check("adaptive avg bwd", 1e-5f, 1e-5f, s(d(2, 3, 3, 4), d(2, 3, 10, 7)), null,
                (b, t) -> b.adaptiveAvgPool2dBackward(t[0], t[1]));
    }

    @Test
    void batchNormTrainingInferenceAndBackward() {
        float[] ones = {1.5f, 0.5f, 1f, 2f};
        float[] positive = {0.5f, 1.5f, 2f, 0.25f};
        for (int[] x : new int[][] {d(4, 4, 5, 3), d(6, 4)}) {
            check("bn train " + java.util.Arrays.toString(x), 1e-4f, 1e-4f, s(x, d(4), d(4), d(4), d(4), x, d(4), d(4)),
                    new float[][] {null, ones, null, null, positive},
                    (b, t) -> b.batchNormForwardTraining(t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, t[5], t[6], t[7]));
            check("bn inference", 1e-4f, 1e-4f, s(x, d(4), d(4), d(4), d(4), x),
                    new float[][] {null, ones, null, null, positive},
                    (b, t) -> b.batchNormForwardInference(t[0], t[1], t[2], t[3], t[4], 1e-5f, t[5]));
            check("bn backward", 1e-4f, 1e-3f, s(x, x, d(4), d(4), d(4), d(4), d(4), x, d(4), d(4), d(4), x),
                    new float[][] {null, null, ones, null, positive}, (b, t) -> {
                        b.batchNormForwardTraining(t[0], t[2], t[3], t[5], t[4], 0.1f, 1e-5f, t[11], t[8], t[9]);
                        b.batchNormBackward(t[0], t[1], t[2], t[8], t[9], t[7], t[6], t[10]);
                    });
        }
    }

    @Test
    void activationsAndSoftmax() {
        for (Activation act : Activation.values()) {
            int[] x = d(3, 4, 5);
            check("act fwd " + act, 1e-5f, 1e-5f, s(x, x), null, (b, t) -> b.activationForward(act, 0.1f, t[0], t[1]));
            check("act bwd " + act, 1e-5f, 1e-4f, s(x, x, x, x), null, (b, t) -> {
                b.activationForward(act, 0.1f, t[0], t[1]);
                b.activationBackward(act, 0.1f, t[0], t[1], t[2], t[3]);
            });
        }
        for (boolean log : new boolean[] {false, true}) {
            check("softmax fwd log=" + log, 1e-5f, 1e-4f, s(d(7, 13), d(7, 13)), null,
                    (b, t) -> b.softmaxForward(log, t[0], t[1]));
            check("softmax bwd log=" + log, 1e-5f, 1e-4f, s(d(7, 13), d(7, 13), d(7, 13), d(7, 13)), null, (b, t) -> {
                b.softmaxForward(log, t[0], t[1]);
                b.softmaxBackward(log, t[1], t[2], t[3]);
            });
        }
    }

    @Test
    void nllLossWithSmoothing() {
        float[] labels = {0, 4, 2, 2, 1, 3};
        for (float smoothing : new float[] {0f, 0.1f}) {
            check("nll fwd " + smoothing, 1e-5f, 1e-5f, s(d(6, 5), d(6), d(6)), new float[][] {null, labels},
                    (b, t) -> b.nllLossForward(t[0], t[1], smoothing, t[2]));
            check("nll bwd " + smoothing, 1e-6f, 1e-6f, s(d(6), d(6), d(6, 5)), new float[][] {labels},
                    (b, t) -> b.nllLossBackward(t[0], smoothing, t[1], t[2]));
        }
    }

    @Test
    void elementwiseAndReductions() {
        for (BinaryOp op : BinaryOp.values()) {
            check("binary same " + op, 1e-6f, 1e-6f, s(d(4, 5), d(4, 5), d(4, 5)), null,
                    (b, t) -> b.binary(op, t[0], t[1], t[2]));
            check("binary broadcast " + op, 1e-6f, 1e-6f, s(d(2, 1, 4), d(3, 1), d(2, 3, 4)), null,
                    (b, t) -> b.binary(op, t[0], t[1], t[2]));
        }
        float[] positive = new float[20];
        for (int i = 0; i < positive.length; i++) {
            positive[i] = 0.1f + i;
        }
        for (UnaryOp op : UnaryOp.values()) {
            check("unary " + op, 1e-6f, 1e-5f, s(d(4, 5), d(4, 5)), new float[][] {positive},
                    (b, t) -> b.unary(op, t[0], t[1]));
        }
        for (ScalarOp op : ScalarOp.values()) {
            check("scalar " + op, 1e-6f, 1e-5f, s(d(4, 5), d(4, 5)), new float[][] {positive},
                    (b, t) -> b.scalar(op, t[0], 1.7f, t[1]));
        }
        check("reduceSumTo channels", 1e-4f, 1e-4f, s(d(8, 16, 5, 5), d(16, 1, 1)), null,
                (b, t) -> b.reduceSumTo(t[0], t[1]));
        check("reduceSumTo rows", 1e-4f, 1e-4f, s(d(300, 7), d(7)), null, (b, t) -> b.reduceSumTo(t[0], t[1]));
        check("copyAlongAxis", 0f, 0f, s(d(2, 3, 4), d(2, 5, 4)), null,
                (b, t) -> b.copyAlongAxis(t[0], 1, t[1], 2, 1, 2));
        check("fill and copy", 0f, 0f, s(d(3, 3), d(3, 3)), null, (b, t) -> {
            b.fill(t[0], -2.5f);
            b.copy(t[0], t[1]);
        });
    }

    @Test
    void dropoutMasksAreIdenticalOnEveryBackend() {
        check("dropout", 0f, 0f, s(d(1000), d(1000), d(1000)), null,
                (b, t) -> b.dropoutForward(t[0], 0.3f, 0x1234_5678_9ABCL, t[1], t[2]));
    }

    @Test
    void fusedOptimizerSteps() {
        SgdParams[] sgd = {new SgdParams(0.1f, 0f, 0f, false, 0f), new SgdParams(0.1f, 0.9f, 0.1f, false, 1e-4f),
            new SgdParams(0.05f, 0.9f, 0f, true, 5e-4f)};
        for (SgdParams p : sgd) {
            check("sgd " + p, 1e-6f, 1e-5f, s(d(50), d(50), d(50)), null, (b, t) -> {
                b.sgdUpdate(t[0], t[1], p.momentum() == 0f ? null : t[2], p, true);
                b.sgdUpdate(t[0], t[1], p.momentum() == 0f ? null : t[2], p, false);
            });
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            check("adam decoupled=" + decoupled, 1e-6f, 1e-5f, s(d(50), d(50), d(50), d(50)),
                    new float[][] {null, null, new float[50], new float[50]}, (b, t) -> {
                        for (int step = 1; step <= 3; step++) {
                            b.adamUpdate(t[0], t[1], t[2], t[3],
                                    new AdamParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, step));
                        }
                    });
        }
    }
}
