package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Helpers for fast-kernel-versus-reference tests: seeded inputs and element-wise comparison. */
final class KernelAssert {
    private KernelAssert() {
    }

    /** Uniform values in [-1, 1), so sums of a few hundred products stay O(10) and float32 drift stays ~1e-5. */
    static float[] uniform(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextFloat() * 2f - 1f;
        }
        return a;
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element-wise. The fast and reference kernels
     * add the same products in different orders; with inputs in [-1, 1) and at most ~600 terms per sum, float32
     * rounding differences are about sqrt(terms) * 2^-24 * |partial sum| ~ 1e-5, so 1e-4 + 1e-4 |ref| leaves
     * margin while still catching any wrong or missing term (each term is ~1e-1 or larger on average).
     */
    static void assertClose(String what, float[] expected, float[] actual, int n, double atol, double rtol) {
        int bad = 0;
        StringBuilder msg = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                if (bad++ < 5) {
                    msg.append(String.format("%n  [%d] expected %.7g got %.7g", i, expected[i], actual[i]));
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + n + " elements differ" + msg);
        }
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertClose(what, expected, actual, expected.length, 1e-4, 1e-4);
    }

    /** A body run by one of several threads; {@code id} tells it which. */
    @FunctionalInterface
    interface ThreadBody {
        void run(int id) throws Exception;
    }

    /** Runs {@code body} on {@code count} threads at once and rethrows the first failure. */
    static void concurrently(int count, ThreadBody body) throws InterruptedException {
        Thread[] threads = new Thread[count];
        Throwable[] errors = new Throwable[count];
        for (int t = 0; t < count; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    errors[id] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Throwable e : errors) {
            if (e != null) {
                throw new AssertionError(e);
            }
        }
    }
}
