package org.cnn4j.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.cnn4j.backend.Backend;

/** One benchmark case: median and spread of the timed runs, and the derived rates. */
record BenchResult(String name, String kind, String backend, int runs, double medianMs, double minMs, double maxMs,
                   double gflops, double imagesPerSecond, Map<String, Object> extra) {

    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final int MAX_WARMUP_RUNS = 200;

    /** Times {@code body} {@code runs} times after {@code warmup} untimed runs. */
    static BenchResult time(String name, String kind, Backend backend, int warmup, int runs, double flopsPerRun,
                            int imagesPerRun, Runnable body) {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        }
        // The JIT compiles the hot kernels during the first runs; warm up for at least WARMUP_NANOS as well as
        // `warmup` runs so that short cases are timed in steady state, not half-interpreted.
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - warmStart < WARMUP_NANOS && i < MAX_WARMUP_RUNS); i++) {
            body.run();
        }
        return timeRuns(name, kind, backend, runs, flopsPerRun, imagesPerRun, body);
    }

    /** Times {@code body} {@code runs} times, with no warm-up. */
    static BenchResult timeRuns(String name, String kind, Backend backend, int runs, double flopsPerRun,
                                int imagesPerRun, Runnable body) {
        backend.synchronize();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            backend.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        double gflops = flopsPerRun > 0 ? flopsPerRun / (median * 1e6) : Double.NaN;
        double ips = imagesPerRun > 0 ? imagesPerRun / (median / 1e3) : Double.NaN;
        return new BenchResult(name, kind, backend.name(), runs, median, sorted[0], sorted[runs - 1], gflops, ips,
                new LinkedHashMap<>());
    }

    /** This result with one more reported value (e.g. memory figures). */
    BenchResult with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind);
        m.put("backend", backend);
        m.put("runs", runs);
        m.put("median_ms", round(medianMs));
        m.put("min_ms", round(minMs));
        m.put("max_ms", round(maxMs));
        if (!Double.isNaN(gflops)) {
            m.put("gflops", round(gflops));
        }
        if (!Double.isNaN(imagesPerSecond)) {
            m.put("images_per_second", round(imagesPerSecond));
        }
        m.putAll(extra);
        return m;
    }

    String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-44s %-5s median %9.2f ms (min %.2f, max %.2f)",
                name, backend, medianMs, minMs, maxMs));
        if (!Double.isNaN(gflops)) {
            sb.append(String.format(Locale.ROOT, "  %8.1f GFLOP/s", gflops));
        }
        if (!Double.isNaN(imagesPerSecond)) {
            sb.append(String.format(Locale.ROOT, "  %8.1f img/s", imagesPerSecond));
        }
        extra.forEach((k, v) -> sb.append("  ").append(k).append(' ').append(v));
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
