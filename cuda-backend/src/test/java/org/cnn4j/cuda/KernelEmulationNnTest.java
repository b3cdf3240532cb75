package org.cnn4j.cuda;

import static org.cnn4j.cuda.EmulatedParity.EXACT;
import static org.cnn4j.cuda.EmulatedParity.U;
import static org.cnn4j.cuda.EmulatedParity.numel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamParams;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.SgdParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kernels.cu's activation, pooling, loss and optimizer kernels on the host emulation (see KernelEmulationTest),
 * launched as CudaBackend, CudnnActivation and CudnnPool launch them, against the CPU backend. Pooling does the
 * CPU's float operations in the CPU's order, so it must match bit for bit; elsewhere the tolerances are error
 * bounds of the float formulas in kernels.cu (the CPU computes in double), derived at each check.
 */
class KernelEmulationNnTest {
    private final EmulatedParity parity = new EmulatedParity();

    @AfterEach
    void runTheQueuedLaunches() {
        parity.verify();
    }

    /** -10..10 in steps of 0.25 (GELU's tails included), then random normal values. */
    private float[] activationInputs(int random) {
        float[] x = Arrays.copyOf(parity.randn(81 + random, 2), 81 + random);
        for (int i = 0; i <= 80; i++) {
            x[i] = -10f + 0.25f * i;
        }
        return x;
    }

    @Test
    void leakyReluIsExact() {
        for (int n : new int[] {1, 300}) {
            float[] x = activationInputs(n);
            x[0] = -0f;
            x[1] = Float.NaN;
            int[][] shapes = {{x.length}, {x.length}, {x.length}, {x.length}};
            float[][] data = {x, parity.randn(x.length, 1), parity.randn(x.length, 1), parity.randn(x.length, 1)};
            long len = x.length;
            parity.check("leaky relu", shapes, data, (c, t) -> {
                c.activationForward(Activation.LEAKY_RELU, 0.1f, t[0], t[1]);
                c.activationBackward(Activation.LEAKY_RELU, 0.1f, t[0], t[1], t[2], t[3]);
            }, (j, b) -> {
                j.launch(Kernel.ACTIVATION_FWD, len, OpCodes.of(Activation.LEAKY_RELU), b[0], b[1], 0.1f, len);
                j.launch(Kernel.ACTIVATION_BWD, len, OpCodes.of(Activation.LEAKY_RELU), b[0], b[2], b[3], 0.1f,
                        len);
            }, EXACT);
        }
    }

    /**
     * y = x Phi(x) with Phi from erfc of z = -x/sqrt2: rounding z perturbs erfc by up to 2 z^2 = x^2 relative
     * units; erfcf, the products and the CPU's final rounding add a few more. The backward pass sums
     * Phi(x) + x pdf(x), where exp(-x^2/2) carries x^2 relative units; bounded by the magnitude of the two
     * terms (Phi(x) <= pdf(x)/|x| for x < -1), since the sum cancels near GELU's minimum.
     */
    @Test
    void geluForwardAndBackwardWithinTheirErrorBounds() {
        float[] x = activationInputs(200);
        int n = x.length;
        float[] dy = parity.randn(n, 1);
        int[][] shapes = {{n}, {n}, {n}, {n}};
        parity.check("gelu", shapes, new float[][] {x, parity.randn(n, 1), dy, parity.randn(n, 1)}, (c, t) -> {
            c.activationForward(Activation.GELU, 0f, t[0], t[1]);
            c.activationBackward(Activation.GELU, 0f, t[0], t[1], t[2], t[3]);
        }, (j, b) -> {
            j.launch(Kernel.ACTIVATION_FWD, n, OpCodes.of(Activation.GELU), b[0], b[1], 0f, (long) n);
            j.launch(Kernel.ACTIVATION_BWD, n, OpCodes.of(Activation.GELU), b[0], b[2], b[3], 0f, (long) n);
        }, (t, i, cpu) -> {
            double v = x[i];
            double units = v * v + 8;
            double floor = 8 * Float.MIN_VALUE;
            if (t == 1) {
                return units * U * Math.abs(cpu) + floor;
            }
            double pdf = 0.3989422804014327 * Math.exp(-0.5 * v * v);
            double phi = v < -1 ? pdf / -v : 1;
            return t == 3 ? units * U * (phi + Math.abs(v) * pdf) * Math.abs(dy[i]) + floor : 0;
        });
    }

    /** The piecewise-linear activations are exact, kinks and NaN included (PyTorch's one-sided rules at kinks). */
    @Test
    void piecewiseLinearActivationsAreExact() {
        for (Activation act : new Activation[] {Activation.RELU, Activation.RELU6, Activation.HARDSIGMOID}) {
            float[] x = activationInputs(100);
            x[0] = Float.NaN;
            x[1] = -0f;
            int n = x.length;
            parity.check(act.name(), new int[][] {{n}, {n}, {n}, {n}},
                    new float[][] {x, parity.randn(n, 1), parity.randn(n, 1), parity.randn(n, 1)}, (c, t) -> {
                        c.activationForward(act, 0f, t[0], t[1]);
                        c.activationBackward(act, 0f, t[0], t[1], t[2], t[3]);
                    }, (j, b) -> {
                        j.launch(Kernel.ACTIVATION_FWD, n, OpCodes.of(act), b[0], b[1], 0f, (long) n);
                        j.launch(Kernel.ACTIVATION_BWD, n, OpCodes.of(act), b[0], b[2], b[3], 0f, (long) n);
                    }, act == Activation.HARDSIGMOID ? (t, i, cpu) -> 2 * U * Math.abs(cpu) : EXACT);
        }
    }

    /**
     * Sigmoid, tanh, SiLU and Hardswish: float formulas against the CPU's double ones. Each float operation adds
     * at most one unit of rounding (U relative); expf/tanhf are within a few units; the sigmoid's 1/(1 + e) keeps
     * relative accuracy, and SiLU's derivative s (1 + x (1 - s)) carries |x| units through x (1 - s), bounded
     * with the magnitude of its terms. Hardswish's x (x + 3) / 6 is three roundings.
     */
    @Test
    void smoothActivationsWithinTheirErrorBounds() {
        for (Activation act : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.SILU,
            Activation.HARDSWISH}) {
            float[] x = activationInputs(200);
            int n = x.length;
            float[] dy = parity.randn(n, 1);
            parity.check(act.name(), new int[][] {{n}, {n}, {n}, {n}},
                    new float[][] {x, parity.randn(n, 1), dy, parity.randn(n, 1)}, (c, t) -> {
                        c.activationForward(act, 0f, t[0], t[1]);
                        c.activationBackward(act, 0f, t[0], t[1], t[2], t[3]);
                    }, (j, b) -> {
                        j.launch(Kernel.ACTIVATION_FWD, n, OpCodes.of(act), b[0], b[1], 0f, (long) n);
                        j.launch(Kernel.ACTIVATION_BWD, n, OpCodes.of(act), b[0], b[2], b[3], 0f, (long) n);
                    }, (t, i, cpu) -> {
                        double v = x[i];
                        double units = 16 + 2 * Math.abs(v);
                        double s = 1 / (1 + Math.exp(-v));
                        double terms = switch (act) {
                            case SILU -> s * (1 + Math.abs(v) * (1 - s));
                            case TANH -> 1 + 1; // the CPU's 1 - y^2 from its own rounded output
                            case SIGMOID -> s * (1 - s) + s;
                            default -> Math.abs(v) / 3 + 0.5 + 1;
                        };
                        double floor = 8 * Float.MIN_VALUE;
                        if (t == 1) {
                            return units * U * Math.abs(cpu) + floor;
                        }
                        return t == 3 ? units * U * terms * Math.abs(dy[i]) + floor : 0;
                    });
        }
    }

    /** As CudnnPool with the custom kernels (forward, then backward from the forward's output). */
    private void checkPool(int[] xd, PoolSpec spec, float[] x) {
        int[] yd = {xd[0], xd[1], spec.outH(xd[2]), spec.outW(xd[3])};
        boolean max = spec.mode() == PoolSpec.PoolMode.MAX;
        int[] geometry = CudnnPool.geometry(xd, yd, spec);
        parity.check("pool " + spec + " " + Arrays.toString(xd), new int[][] {xd, yd, yd, xd},
                new float[][] {x, parity.randn(numel(yd), 1), parity.randn(numel(yd), 1), parity.randn(numel(xd), 1)},
                (c, t) -> {
                    c.pool2dForward(t[0], t[1], spec);
                    c.pool2dBackward(t[0], t[1], t[2], t[3], spec);
                }, (j, b) -> {
                    j.launch(max ? Kernel.MAX_POOL_FWD : Kernel.AVG_POOL_FWD, numel(yd), b[0], b[1], geometry);
                    if (max) {
                        j.launch(Kernel.MAX_POOL_BWD, numel(xd), b[0], b[2], b[3], geometry);
                    } else {
                        j.launch(Kernel.AVG_POOL_BWD, numel(xd), b[2], b[3], geometry);
                    }
                }, EXACT);
    }

    @Test
    void poolingParitySpecsAndEdgeCases() {
        PoolSpec[] specs = {PoolSpec.max(3, 2, 1), PoolSpec.max(3, 2, 0).withCeilMode(true), PoolSpec.avg(3, 2, 1),
            PoolSpec.avg(3, 2, 1).withCountIncludePad(false), PoolSpec.avg(3, 2, 1).withCeilMode(true),
            PoolSpec.avg(2, 2, 0).withCeilMode(true).withCountIncludePad(false), PoolSpec.max(1, 1, 0),
            PoolSpec.avg(2, 3, 1).withCeilMode(true), new PoolSpec(PoolSpec.PoolMode.MAX, 3, 2, 1, 3, 1, 1, true, true)};
        for (PoolSpec spec : specs) {
            checkPool(new int[] {2, 3, 10, 9}, spec, parity.randn(540, 1));
            checkPool(new int[] {1, 1, 1, 1}, spec.withCeilMode(false), new float[] {-2f});
        }
        float[] ties = new float[16];
        ties[5] = -0f;
        checkPool(new int[] {1, 1, 4, 4}, PoolSpec.max(2, 2, 0), ties);
        float[] nan = parity.randn(16, 1);
        nan[5] = Float.NaN;
        nan[10] = Float.NaN;
        checkPool(new int[] {1, 1, 4, 4}, PoolSpec.max(3, 1, 1), nan);
    }

    @Test
    void adaptiveAveragePooling() {
        int[][][] cases = {{{2, 3, 10, 7}, {3, 4}}, {{1, 2, 3, 2}, {7, 5}}, {{2, 2, 5, 5}, {5, 5}}, {{1, 3, 6, 4}, {1, 1}}};
        for (int[][] c : cases) {
            int[] xd = c[0];
            int[] yd = {xd[0], xd[1], c[1][0], c[1][1]};
            long planes = (long) xd[0] * xd[1];
            parity.check("adaptive avg " + Arrays.deepToString(c), new int[][] {xd, yd, yd, xd},
                    new float[][] {parity.randn(numel(xd), 1), parity.randn(numel(yd), 1), parity.randn(numel(yd), 1),
                        parity.randn(numel(xd), 1)}, (cpu, t) -> {
                            cpu.adaptiveAvgPool2dForward(t[0], t[1]);
                            cpu.adaptiveAvgPool2dBackward(t[2], t[3]);
                        }, (j, b) -> {
                            j.launch(Kernel.ADAPTIVE_AVG_FWD, numel(yd), b[0], b[1], planes, xd[2], xd[3], yd[2], yd[3]);
                            j.launch(Kernel.ADAPTIVE_AVG_BWD, numel(xd), b[2], b[3], planes, xd[2], xd[3], yd[2], yd[3]);
                        }, EXACT);
        }
    }

    /**
     * The float loss sums a row of C terms in sequence (C - 1 roundings of terms up to sum|logp|) and takes
     * a handful more roundings: within (C + 6) u ((1-s)|logp[label]| + s/C sum|logp|). The gradient's weight
     * s/C + (1-s) takes 3 roundings, the product one more: within 4u of the CPU's.
     */
    @Test
    void nllLossWithSmoothing() {
        int rows = 6;
        int classes = 5;
        float[] labels = {0, 4, 2, 2, 1, 3};
        for (float s : new float[] {0f, 0.1f}) {
            float[] logp = parity.randn(rows * classes, 2);
            float[] dLosses = parity.randn(rows, 1);
            parity.check("nll fwd " + s, new int[][] {{rows, classes}, {rows}, {rows}},
                    new float[][] {logp, labels, parity.randn(rows, 1)}, (c, t) -> c.nllLossForward(t[0], t[1], s, t[2]),
                    (j, b) -> j.launch(Kernel.NLL_FWD, rows, b[0], b[1], s, b[2], rows, classes), (t, i, cpu) -> {
                        if (t != 2) {
                            return 0;
                        }
                        double abs = 0;
                        for (int k = 0; k < classes; k++) {
                            abs += Math.abs(logp[i * classes + k]);
                        }
                        return (classes + 6) * U * ((1 - s) * Math.abs(logp[i * classes + (int) labels[i]]) + s / classes * abs);
                    });
            parity.check("nll bwd " + s, new int[][] {{rows}, {rows}, {rows, classes}},
                    new float[][] {labels, dLosses, parity.randn(rows * classes, 1)},
                    (c, t) -> c.nllLossBackward(t[0], s, t[1], t[2]),
                    (j, b) -> j.launch(Kernel.NLL_BWD, rows * classes, b[0], s, b[1], b[2], rows, classes),
                    (t, i, cpu) -> 4 * U * Math.abs(cpu));
        }
    }

    /** The CPU throws on a label that is not a class index; the kernels must give NaN and stay in bounds. */
    @Test
    void nllWithInvalidLabelsGivesNaNWithoutReadingOutOfBounds() {
        KernelEmulator.Job job = KernelEmulator.get().job();
        float[] labels = {1f, 4f, -1f, 0.5f, Float.NaN};
        float[] minusOne = new float[20];
        Arrays.fill(minusOne, -1f);
        KernelEmulator.Buffer logp = job.buffer(minusOne, "logp");
        KernelEmulator.Buffer l = job.buffer(labels, "labels");
        KernelEmulator.Buffer losses = job.buffer(new float[5], "losses");
        KernelEmulator.Buffer dLosses = job.buffer(new float[] {1, 1, 1, 1, 1}, "dLosses");
        KernelEmulator.Buffer grad = job.buffer(new float[20], "grad");
        job.launch(Kernel.NLL_FWD, 5, logp, l, 0.1f, losses, 5, 4);
        job.launch(Kernel.NLL_BWD, 20, l, 0f, dLosses, grad, 5, 4);
        float[][] out = job.run();
        assertEquals(1f, out[losses.id()][0], 1e-6f);
        assertEquals(-1f, out[grad.id()][1]);
        for (int r = 1; r < 5; r++) {
            assertTrue(Float.isNaN(out[losses.id()][r]), "loss of row " + r + " with label " + labels[r]);
            for (int c = 0; c < 4; c++) {
                assertTrue(Float.isNaN(out[grad.id()][4 * r + c]), "gradient of row " + r);
            }
        }
    }

    /**
     * One SGD step in float: d = g + wd p (2 roundings of terms up to Md = |g| + wd|p|), the momentum buffer
     * (3 more, of terms up to Mb), nesterov's d + m b, then p - lr d: the buffer is within 8u Mb and the
     * parameter within 12u (|p| + lr Md'), Md' the magnitude of the final direction.
     */
    @Test
    void sgdStepsWithinTheirErrorBounds() {
        SgdParams[] sgd = {new SgdParams(0.1f, 0f, 0f, false, 0f), new SgdParams(0.1f, 0.9f, 0.1f, false, 1e-4f),
            new SgdParams(0.05f, 0.9f, 0f, true, 5e-4f)};
        int n = 300;
        for (SgdParams p : sgd) {
            for (boolean first : new boolean[] {true, false}) {
                float[] w = parity.randn(n, 1);
                float[] g = parity.randn(n, 1);
                float[] buf = parity.randn(n, 1);
                boolean momentum = p.momentum() != 0f;
                parity.check("sgd " + p + " first=" + first, new int[][] {{n}, {n}, {n}}, new float[][] {w, g, buf},
                        (c, t) -> c.sgdUpdate(t[0], t[1], momentum ? t[2] : null, p, first),
                        (j, b) -> j.launch(Kernel.SGD_STEP, n, b[0], b[1], momentum ? b[2] : null, p.lr(), p.momentum(),
                                p.dampening(), p.nesterov() ? 1 : 0, p.weightDecay(), first ? 1 : 0, (long) n),
                        (t, i, cpu) -> {
                            double md = Math.abs(g[i]) + p.weightDecay() * Math.abs(w[i]);
                            double mb = first ? md : p.momentum() * Math.abs(buf[i]) + (1 - p.dampening()) * md;
                            double dir = !momentum ? md : p.nesterov() ? md + p.momentum() * mb : mb;
                            return t == 0 ? 12 * U * (Math.abs(w[i]) + p.lr() * dir) : t == 2 ? 8 * U * mb : 0;
                        });
            }
        }
    }

    /**
     * One Adam step in float: m within 6u of its terms' magnitude Mm; v within 8u of Mv, the same sum with
     * |g| + wd|p| for the gradient; the denominator D = sqrt(v)/bc2 + eps within 4u Mv/v + 3u relative; the
     * update stepSize m / D within (that + 11u) of stepSize Mm / D; the decayed parameter within 5u |p|.
     */
    @Test
    void adamStepsWithinTheirErrorBounds() {
        int n = 300;
        for (boolean decoupled : new boolean[] {false, true}) {
            for (int step = 1; step <= 3; step++) {
                AdamParams p = new AdamParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, step);
                float[] w = parity.randn(n, 1);
                float[] g = parity.randn(n, 1);
                float[] m = parity.randn(n, 0.1);
                float[] v = parity.randn(n, 0.1);
                for (int i = 0; i < n; i++) {
                    v[i] *= v[i];
                }
                double stepSize = p.lr() / (1 - Math.pow(p.beta1(), step));
                double bc2 = Math.sqrt(1 - Math.pow(p.beta2(), step));
                parity.check("adam decoupled=" + decoupled + " step " + step, new int[][] {{n}, {n}, {n}, {n}},
                        new float[][] {w, g, m, v}, (c, t) -> c.adamUpdate(t[0], t[1], t[2], t[3], p),
                        (j, b) -> j.launch(Kernel.ADAM_STEP, n, b[0], b[1], b[2], b[3], p.lr(), p.beta1(), p.beta2(),
                                p.eps(), p.weightDecay(), decoupled ? 1 : 0, (float) stepSize, (float) bc2, (long) n),
                        (t, i, cpu) -> {
                            double wd = decoupled ? 0 : p.weightDecay();
                            double mg = Math.abs(g[i]) + wd * Math.abs(w[i]);
                            double mm = Math.abs(m[i]) + (1 - p.beta1()) * (mg + Math.abs(m[i]));
                            double mv = p.beta2() * v[i] + (1 - p.beta2()) * mg * mg;
                            double gi = g[i] + wd * w[i];
                            double vi = p.beta2() * v[i] + (1 - p.beta2()) * gi * gi;
                            double denom = Math.sqrt(vi) / bc2 + p.eps();
                            double relDenom = 4 * U * mv / vi + 3 * U;
                            double update = stepSize * mm / denom;
                            return switch (t) {
                                case 0 -> 5 * U * Math.abs(w[i]) + update * (relDenom + 11 * U);
                                case 2 -> 6 * U * mm;
                                case 3 -> 8 * U * mv;
                                default -> 0;
                            };
                        });
            }
        }
    }
}
