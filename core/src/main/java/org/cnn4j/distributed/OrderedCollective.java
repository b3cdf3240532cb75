package org.cnn4j.distributed;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A collective whose operations run one at a time on one communication thread, in the order this rank issued them,
 * whichever thread issued them. Every rank must issue the same operations in the same order; when the gradient
 * buckets are all-reduced in the background ({@link #allReduceAsync}) while the training thread still calls the
 * collective (SyncBatchNorm in backward, the step loss), issuing everything through this queue keeps that order the
 * program's order and not the threads' timing. The wrapped collective belongs to the caller.
 */
public final class OrderedCollective implements Collective {
    private final Collective inner;
    private final ExecutorService thread;

    public OrderedCollective(Collective inner) {
        this.inner = inner;
        int rank = inner.rank();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cnn4j-collective-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts an all-reduce after every operation issued before it; the future completes when it has. */
    public Future<?> allReduceAsync(float[] buffer, ReduceOp op) {
        return thread.submit(() -> inner.allReduce(buffer, op));
    }

    /** Waits for an operation started here; its failure is rethrown as it was thrown on the communication thread. */
    public static void await(Future<?> f, int rank) {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CollectiveException("rank " + rank + ": collective operation failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectiveException("rank " + rank + ": interrupted while waiting for a collective operation");
        }
    }

    private void run(Callable<Void> op) {
        await(thread.submit(op), rank());
    }

    @Override
    public int rank() {
        return inner.rank();
    }

    @Override
    public int worldSize() {
        return inner.worldSize();
    }

    @Override
    public Duration timeout() {
        return inner.timeout();
    }

    @Override
    public void allReduce(float[] buffer, int offset, int length, ReduceOp op) {
        Collective.checkRange(buffer, offset, length);
        run(() -> {
            inner.allReduce(buffer, offset, length, op);
            return null;
        });
    }

    @Override
    public void broadcast(float[] buffer, int offset, int length, int root) {
        Collective.checkRange(buffer, offset, length);
        run(() -> {
            inner.broadcast(buffer, offset, length, root);
            return null;
        });
    }

    @Override
    public void barrier() {
        run(() -> {
            inner.barrier();
            return null;
        });
    }

    /** Stops the communication thread; the wrapped collective stays open. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
