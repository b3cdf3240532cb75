package org.cnn4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.cnn4j.ops.Arithmetic;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;

/**
 * Finite-difference gradient check in the style of {@code torch.autograd.gradcheck}. The scalar probed is
 * {@code L = sum(f(inputs) * r)} for fixed random {@code r}; the numeric derivative is a central difference
 * whose loss is accumulated in double precision on the host, compared element-wise with
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}.
 */
public final class GradCheck {
    /** Default step and tolerances for float32 kernels with smooth ops. */
    public static final double EPS = 1e-2;
    public static final double ATOL = 2e-3;
    public static final double RTOL = 1e-2;

    private GradCheck() {
    }

    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, f, inputs, EPS, ATOL, RTOL, 400);
    }

    /**
     * @param inputs leaves; those with {@code requiresGrad()} are checked
     * @param maxProbes at most this many elements per input are perturbed (distinct, chosen at random, seeded)
     */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol,
                             double rtol, int maxProbes) {
        Random random = new Random(1234);
        float[] r;
        List<float[]> analytic = new ArrayList<>();
        for (Tensor in : inputs) {
            if (in.requiresGrad()) {
                in.zeroGrad(); // a gradient left from earlier use would be added into the analytic one
            }
        }
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor out = f.apply(inputs);
            r = new float[(int) out.numel()];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) random.nextGaussian();
            }
            Tensor rt = Tensor.of(out.backend(), r, out.shape());
            Tensor loss = Arithmetic.sum(Arithmetic.mul(out, rt));
            loss.backward();
            for (Tensor in : inputs) {
                if (in.requiresGrad()) {
                    if (in.grad() == null) {
                        throw new AssertionError(name + ": no gradient reached an input of shape " + in.shape());
                    }
                    analytic.add(in.grad().toFloatArray());
                    in.zeroGrad();
                } else {
                    analytic.add(null);
                }
            }
        }
        StringBuilder failures = new StringBuilder();
        int failed = 0;
        for (int t = 0; t < inputs.length; t++) {
            Tensor in = inputs[t];
            if (!in.requiresGrad()) {
                continue;
            }
            float[] base = in.toFloatArray();
            float[] a = analytic.get(t);
            int[] probes = probes(base.length, maxProbes, random);
            double largestNumeric = 0;
            int failedBefore = failed;
            for (int i : probes) {
                float orig = base[i];
                base[i] = (float) (orig + eps);
                double plus = lossAt(f, inputs, in, base, r);
                base[i] = (float) (orig - eps);
                double minus = lossAt(f, inputs, in, base, r);
                base[i] = orig;
                double actualStep = ((double) (float) (orig + eps) - (double) (float) (orig - eps));
                double numeric = (plus - minus) / actualStep;
                largestNumeric = Math.max(largestNumeric, Math.abs(numeric));
                double diff = Math.abs(a[i] - numeric);
                // negated so that a NaN or infinite gradient (analytic or numeric) fails instead of passing
                if (!(diff <= atol + rtol * Math.abs(numeric))) {
                    if (failed++ < 8) {
                        failures.append(String.format("%n  input %d %s element %d: analytic %.6g numeric %.6g", t,
                                in.shape(), i, a[i], numeric));
                    }
                }
            }
            in.backend().write(in, base, 0);
            // a loss that does not move when the input does would pass with an all-zero analytic gradient: that is
            // what a device that computes nothing (or an op that drops its input) gives, so it is a failure
            if (failed == failedBefore && !(largestNumeric > atol)) {
                failed++;
                failures.append(String.format("%n  input %d %s: numerical gradient within %.1g of zero at all %d probed"
                        + " elements (the output does not depend on this input)", t, in.shape(), atol, probes.length));
            }
        }
        if (failed > 0) {
            throw new AssertionError(name + ": " + failed + " gradient elements differ from finite differences"
                    + failures);
        }
    }

    private static double lossAt(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor in, float[] values,
                                 float[] r) {
        in.backend().write(in, values, 0);
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            float[] out = f.apply(inputs).toFloatArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += (double) out[i] * r[i];
            }
            return sum;
        }
    }

    private static int[] probes(int n, int max, Random random) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        // distinct indices: a partial Fisher-Yates shuffle of 0..n-1
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, max);
    }
}
