package org.cnn4j.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU backend's fixed worker pool. Size: {@code -Dcnn4j.cpu.threads}, else {@code CNN4J_CPU_THREADS},
 * else the number of available processors.
 */
final class CpuThreads {
    private static final int PARALLELISM = configured();
    private static final ForkJoinPool POOL = new ForkJoinPool(PARALLELISM,
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("cnn4j-cpu-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    /** Body of a parallel loop over the index range [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private CpuThreads() {
    }

    private static int configured() {
        String v = System.getProperty("cnn4j.cpu.threads", System.getenv("CNN4J_CPU_THREADS"));
        if (v != null && !v.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cnn4j.cpu.threads must be a positive integer, got '" + v + "'");
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static int parallelism() {
        return PARALLELISM;
    }

    /**
     * Runs {@code body} over [0, n) split into contiguous chunks, in parallel when the work is large enough.
     * {@code costPerIndex} is a rough count of floating-point operations per index, used to avoid forking for
     * tiny loops.
     */
    static void parallelFor(int n, long costPerIndex, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(n, Math.min(PARALLELISM * 4L, Math.max(1, n * costPerIndex / 32_768)));
        boolean nested = Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL;
        if (chunks <= 1 || PARALLELISM == 1 || nested) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Range(body, 0, n, Math.max(1, n / chunks)));
    }

    private static final class Range extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        Range(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(body, from, mid, grain), new Range(body, mid, to, grain));
        }
    }
}
