package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cnn4j.backend.Backends;
import org.cnn4j.distributed.DistributedDataParallel;
import org.cnn4j.distributed.Ranks;
import org.cnn4j.distributed.SyncBatchNorm;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.Normalization;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.cnn4j.train.Fit;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SyncBatchNorm}: two ranks with half a batch each normalise, backpropagate and train as one process with the
 * whole batch; its gradient (which crosses ranks) against finite differences of the two ranks' summed loss.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SyncBatchNormContract extends BackendTestBase {
    private static final int C = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One rank's forward output, input gradient, weight and bias gradients and running statistics. */
    private record RankResult(float[] y, float[] dx, float[] dgamma, float[] dbeta, float[] runningMean,
                              float[] runningVar) {
    }

    /** Runs the synchronised op on two ranks: rank r gets {@code x[r]}, and backward gets {@code dy[r]}. */
    private List<RankResult> twoRanks(float[][] x, int[] shape, float[] gamma, float[] beta, float[][] dy) {
        List<Ranks.Outcome<RankResult>> outcomes = Ranks.inProcess(2, TIMEOUT, c -> {
            try (Backends.Use use = Backends.use(backend); MemoryScope scope = MemoryScope.open()) {
                Tensor xt = Tensor.of(backend, x[c.rank()], Shape.of(shape)).requiresGrad(true);
                Shape cs = Shape.of(gamma.length);
                Tensor g = Tensor.of(backend, gamma, cs).requiresGrad(true);
                Tensor b = Tensor.of(backend, beta, cs).requiresGrad(true);
                Tensor rm = Tensor.zeros(backend, cs);
                Tensor rv = Tensor.full(backend, cs, 1f);
                Tensor y = new SyncBatchNorm(c).apply(xt, g, b, rm, rv, 0.1f, 1e-5f);
                Tensor loss = Arithmetic.sum(Arithmetic.mul(y, Tensor.of(backend, dy[c.rank()], y.shape())));
                loss.backward();
                RankResult out = new RankResult(y.toFloatArray(), xt.grad().toFloatArray(), g.grad().toFloatArray(),
                        b.grad().toFloatArray(), rm.toFloatArray(), rv.toFloatArray());
                for (Tensor t : new Tensor[] {xt, g, b}) {
                    t.zeroGrad();
                }
                return out;
            }
        });
        return List.of(outcomes.get(0).get(), outcomes.get(1).get());
    }

    private float[] gaussian(int n, double mean) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + random.nextGaussian());
        }
        return v;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Against plain batch norm over the concatenated batch of 2 x [4, 3, 5, 5] (inputs centred at 3, so the variance
     * is not trivially the second moment). Both compute the statistics in double and round once; what differs is
     * float rounding: y and the running statistics agree to a few float ulps (1e-6 relative + 1e-6 absolute), the
     * reference's dx is a float sum of three terms each up to ~|gamma * invStd * dy| (|dy| <= ~4, |gamma| <= ~2,
     * invStd ~1): a few ulps of 8, so 1e-5 absolute; dgamma and dbeta (100-term float sums split in two) 1e-5
     * relative + 1e-5.
     */
    @Test
    void twoRanksNormaliseLikeOneProcessWithTheWholeBatch() {
        int[] half = {4, C, 5, 5};
        int n = 4 * C * 25;
        float[][] x = {gaussian(n, 3), gaussian(n, 3)};
        float[][] dy = {gaussian(n, 0), gaussian(n, 0)};
        float[] gamma = gaussian(C, 1);
        float[] beta = gaussian(C, 0);
        List<RankResult> ranks = twoRanks(x, half, gamma, beta, dy);

        Tensor xt = tensor(concat(x[0], x[1]), 8, C, 5, 5).requiresGrad(true);
        Tensor g = tensor(gamma, C).requiresGrad(true);
        Tensor b = tensor(beta, C).requiresGrad(true);
        Tensor rm = Tensor.zeros(backend, Shape.of(C));
        Tensor rv = Tensor.full(backend, Shape.of(C), 1f);
        Tensor y = Normalization.batchNorm(xt, g, b, rm, rv, true, 0.1f, 1e-5f);
        Arithmetic.sum(Arithmetic.mul(y, tensor(concat(dy[0], dy[1]), 8, C, 5, 5))).backward();

        assertClose("y", y.toFloatArray(), concat(ranks.get(0).y(), ranks.get(1).y()), 1e-6, 1e-6);
        assertClose("dx", xt.grad().toFloatArray(), concat(ranks.get(0).dx(), ranks.get(1).dx()), 1e-5, 0);
        assertClose("dgamma", g.grad().toFloatArray(), sum(ranks.get(0).dgamma(), ranks.get(1).dgamma()), 1e-5,
                1e-5);
        assertClose("dbeta", b.grad().toFloatArray(), sum(ranks.get(0).dbeta(), ranks.get(1).dbeta()), 1e-5, 1e-5);
        for (RankResult r : ranks) {
            assertClose("running_mean", rm.toFloatArray(), r.runningMean(), 1e-6, 1e-6);
            assertClose("running_var", rv.toFloatArray(), r.runningVar(), 1e-6, 1e-6);
        }
        xt.zeroGrad();
        g.zeroGrad();
        b.zeroGrad();
    }

    /**
     * Finite differences of F = sum over ranks of sum(y_r * w_r) against the analytic gradients: rank r's input
     * gradient must be dF/dx_r (its own loss and the other rank's, through the shared statistics) and the two
     * ranks' weight and bias gradients must add up to dF/dgamma and dF/dbeta. GradCheck's step and tolerances, for
     * the reasons it gives; 2 x [3, 2, 2, 2] keeps the 52 probes (two 2-rank forwards each) quick.
     */
    @Test
    void gradientAcrossRanksMatchesFiniteDifferences() {
        int[] shape = {3, 2, 2, 2};
        int n = 24;
        float[][] x = {gaussian(n, 0.5), gaussian(n, -0.5)};
        float[][] w = {gaussian(n, 0), gaussian(n, 0)};
        float[] gamma = {1.3f, -0.7f};
        float[] beta = {0.2f, -0.4f};
        List<RankResult> ranks = twoRanks(x, shape, gamma, beta, w);
        List<float[]> inputs = List.of(x[0], x[1], gamma, beta);
        List<float[]> analytic = List.of(ranks.get(0).dx(), ranks.get(1).dx(),
                sum(ranks.get(0).dgamma(), ranks.get(1).dgamma()), sum(ranks.get(0).dbeta(), ranks.get(1).dbeta()));
        List<String> failures = new ArrayList<>();
        double eps = GradCheck.EPS;
        for (int t = 0; t < inputs.size(); t++) {
            float[] v = inputs.get(t);
            double largest = 0;
            for (int i = 0; i < v.length; i++) {
                float orig = v[i];
                v[i] = (float) (orig + eps);
                double plus = objective(x, shape, gamma, beta, w);
                v[i] = (float) (orig - eps);
                double minus = objective(x, shape, gamma, beta, w);
                v[i] = orig;
                double numeric = (plus - minus) / ((double) (float) (orig + eps) - (float) (orig - eps));
                largest = Math.max(largest, Math.abs(numeric));
                double a = analytic.get(t)[i];
                if (!(Math.abs(a - numeric) <= GradCheck.ATOL + GradCheck.RTOL * Math.abs(numeric))) {
                    failures.add("input " + t + " element " + i + ": analytic " + a + ", numeric " + numeric);
                }
            }
            assertTrue(largest > GradCheck.ATOL, "input " + t + ": the objective does not depend on it");
        }
        assertTrue(failures.isEmpty(), failures.size() + " gradient elements differ, e.g. "
                + failures.subList(0, Math.min(8, failures.size())));
    }

    /** F = sum over both ranks of sum(y_r * w_r), accumulated in double. */
    private double objective(float[][] x, int[] shape, float[] gamma, float[] beta, float[][] w) {
        List<Ranks.Outcome<Double>> outcomes = Ranks.inProcess(2, TIMEOUT, c -> {
            try (Backends.Use use = Backends.use(backend); MemoryScope scope = MemoryScope.open();
                 NoGrad ng = NoGrad.enter()) {
                float[] y = new SyncBatchNorm(c).apply(Tensor.of(backend, x[c.rank()], Shape.of(shape)),
                        Tensor.of(backend, gamma, Shape.of(gamma.length)),
                        Tensor.of(backend, beta, Shape.of(beta.length)), Tensor.zeros(backend, Shape.of(beta.length)),
                        Tensor.full(backend, Shape.of(beta.length), 1f), 0.1f, 1e-5f).toFloatArray();
                double s = 0;
                for (int i = 0; i < y.length; i++) {
                    s += (double) y[i] * w[c.rank()][i];
                }
                return s;
            }
        });
        return outcomes.get(0).get() + outcomes.get(1).get();
    }

    /** conv 1->4 3x3 - BatchNorm2d(4) - ReLU - max-pool 2 - flatten - linear 64->4. */
    private static Sequential bnNet(long seed) {
        Init.manualSeed(seed);
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 4 * 4, 4));
    }

    /** 64 images in global batches of 16 for 5 epochs: the 20 steps. */
    private static final int STEPS = 20;

    private static TrainConfig sgd() {
        return config().optimizer(OptimizerKind.SGD).momentum(0.9).lr(0.05).batchSize(16).epochs(5).build();
    }

    private List<Double> trainTwoRanks(boolean sync) {
        List<Module> replicas = List.of(bnNet(3), bnNet(3));
        try {
            List<Ranks.Outcome<DistributedFitContract.Losses>> ranks = Ranks.inProcess(2, TIMEOUT, c -> {
                Module m = replicas.get(c.rank());
                try (Backends.Use use = Backends.use(backend); MemoryScope scope = MemoryScope.open();
                     DistributedDataParallel ddp = new DistributedDataParallel(m, c)) {
                    if (sync) {
                        assertEquals(List.of("1"), SyncBatchNorm.convert(m, ddp.collective()));
                    }
                    DistributedFitContract.Losses losses = new DistributedFitContract.Losses();
                    new Fit(sgd(), m, data(64, 32), backend).distributed(ddp).addListener(losses).run(null);
                    return losses;
                }
            });
            assertEquals(ranks.get(0).get().values, ranks.get(1).get().values);
            return ranks.get(0).get().values;
        } finally {
            replicas.forEach(Module::close);
        }
    }

    /**
     * A BatchNorm net trained by two ranks with 8 of every 16 examples follows the one-process run with 16 within
     * 1e-5 relative (the criterion; only float summation order differs) with synchronised statistics, and
     * does not without them (each rank normalising its own 8 is different training): so the check has teeth.
     */
    @Test
    void twoRanksWithSyncBatchNormTrainLikeOneProcess() throws Exception {
        DistributedFitContract.Losses single = new DistributedFitContract.Losses();
        try (Module model = bnNet(3)) {
            new Fit(sgd(), model, data(64, 32), backend).addListener(single).run(null);
        }
        List<Double> synced = trainTwoRanks(true);
        List<Double> local = trainTwoRanks(false);
        assertEquals(STEPS, single.values.size());
        assertEquals(STEPS, synced.size());
        double worstLocal = 0;
        double worstSynced = 0;
        for (int s = 0; s < STEPS; s++) {
            double want = single.values.get(s);
            worstSynced = Math.max(worstSynced, Math.abs(synced.get(s) - want) / want);
            assertEquals(want, synced.get(s), 1e-5 * want, "step " + s);
            worstLocal = Math.max(worstLocal, Math.abs(local.get(s) - want) / want);
        }
        System.out.println("SyncBatchNorm: worst relative step-loss difference " + worstSynced + " synchronised, "
                + worstLocal + " local");
        assertTrue(worstLocal > 1e-3, "local batch statistics gave the same losses (worst relative difference "
                + worstLocal + "): the test cannot tell synchronised from local");
    }

    private static float[] sum(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static void assertClose(String what, float[] want, float[] got, double atol, double rtol) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++) {
            double tol = atol + rtol * Math.abs(want[i]);
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                throw new AssertionError(what + "[" + i + "]: want " + want[i] + ", got " + got[i] + " (tolerance "
                        + tol + ")");
            }
        }
    }
}
