package org.cnn4j.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU backend's fixed worker pool. Size: {@code -Dcnn4j.cpu.threads}, else {@code CNN4J_CPU_THREADS},
 * else the number of available processors.
 *
 * <p>Results never depend on the pool's size: {@link #parallelFor} only schedules independent pieces of work, and
 * a kernel that reduces across pieces (a sum over images or tiles) splits it into a number of parts fixed by the
 * problem's shape, never by the thread count ({@link #REDUCTION_PARTS}), and adds the parts' results in part
 * order. So a run gives the same bits on a 2-core laptop and a 64-core server, and a checkpoint resumes exactly
 * under another {@code CNN4J_CPU_THREADS}.
 */
final class CpuThreads {
    /**
     * At most this many independent partial sums in a parallel reduction; with fewer threads, each thread works
     * through several parts in turn. Eight keeps up to eight cores busy in the reductions that need partials.
     */
    static final int REDUCTION_PARTS = 8;

    private static volatile Workers workers = new Workers(configured());

    /** Body of a parallel loop over the index range [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** A pool and its size. */
    private record Workers(int parallelism, ForkJoinPool pool) {
        Workers(int parallelism) {
            this(parallelism, new ForkJoinPool(parallelism, Worker::new, null, false));
        }
    }

    /** The pool's threads; a parallel loop started on one of them runs inline (see {@link #parallelFor}). */
    private static final class Worker extends ForkJoinWorkerThread {
        Worker(ForkJoinPool pool) {
            super(pool);
            setName("cnn4j-cpu-" + getPoolIndex());
            setDaemon(true);
        }
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
        return workers.parallelism();
    }

    /** Restores the previous pool when closed. */
    interface PoolScope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs the backend on a pool of {@code threads} threads until the returned handle is closed: for tests that
     * compare results across thread counts in one JVM. Not for concurrent use with running kernels.
     */
    static PoolScope useThreads(int threads) {
        Workers previous = workers;
        Workers replacement = new Workers(Math.max(1, threads));
        workers = replacement;
        return () -> {
            workers = previous;
            replacement.pool().shutdown();
        };
    }

    /**
     * Runs {@code body} over [0, n) split into contiguous chunks, in parallel when the work is large enough.
     * {@code costPerIndex} is a rough count of floating-point operations per index, used to avoid forking for
     * tiny loops. How the range is split depends on the thread count, so {@code body} must compute the same
     * thing for an index whatever range it comes in.
     */
    static void parallelFor(int n, long costPerIndex, RangeBody body) {
        if (n <= 0) {
            return;
        }
        Workers w = workers;
        int chunks = (int) Math.min(n, Math.min(w.parallelism() * 4L, Math.max(1, n * costPerIndex / 32_768)));
        // nested loops run inline: the kernels' thread-local scratch must not be reused by a stolen task
        if (chunks <= 1 || w.parallelism() == 1 || Thread.currentThread() instanceof Worker) {
            body.run(0, n);
            return;
        }
        w.pool().invoke(new Range(body, 0, n, Math.max(1, n / chunks)));
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
