package org.cnn4j.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.GradientHook;

/**
 * Synchronous data parallelism over a {@link Collective}: every rank holds a replica of the model, trains on its
 * own shard of each global batch ({@link DistributedSampler}), and before each optimizer step the gradients are
 * averaged across ranks, so every replica takes the same step and stays identical.
 *
 * <ul>
 *   <li>{@link #broadcastState()}: at start, every rank copies rank 0's parameters and buffers.</li>
 *   <li>{@link #synchronizeGradients(List)}: after backward, the gradients are averaged in buckets of about
 *       {@code bucketFloats} floats. The autograd has no per-parameter "gradient ready" hook, so buckets are
 *       reduced after backward has finished rather than during it; what overlaps is the all-reduce of one bucket
 *       with copying the next bucket's gradients out of the tensors (a background thread runs the collective).
 *       With such a hook, bucket k could start while backward still computes the earlier layers (the next step).</li>
 *   <li>BatchNorm keeps local batch statistics on each rank, as in PyTorch; the running statistics that get saved
 *       are rank 0's.</li>
 *   <li>Only rank 0 writes checkpoints and metrics ({@link #isWriter()}); every rank resumes from the same
 *       checkpoint, so the replicas stay identical across a restart.</li>
 * </ul>
 *
 * <p>A parameter whose gradient is missing on some ranks (it took no part in their loss) counts as a zero
 * gradient there; one missing on every rank keeps no gradient, so the optimizer skips it as it would alone.
 */
public final class DistributedDataParallel implements AutoCloseable {
    /** PyTorch's default bucket: 25 MiB of float32. */
    public static final int DEFAULT_BUCKET_FLOATS = 25 * 1024 * 1024 / 4;

    private final Module model;
    private final Collective collective;
    private final int bucketFloats;
    private final ExecutorService comm;

    public DistributedDataParallel(Module model, Collective collective) {
        this(model, collective, DEFAULT_BUCKET_FLOATS);
    }

    public DistributedDataParallel(Module model, Collective collective, int bucketFloats) {
        this.model = Objects.requireNonNull(model, "model");
        this.collective = Objects.requireNonNull(collective, "collective");
        if (bucketFloats < 1) {
            throw new IllegalArgumentException("DistributedDataParallel: bucket size must be >= 1 float, got "
                    + bucketFloats);
        }
        this.bucketFloats = bucketFloats;
        int rank = collective.rank();
        this.comm = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cnn4j-ddp-comm-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    public Collective collective() {
        return collective;
    }

    public int rank() {
        return collective.rank();
    }

    public int worldSize() {
        return collective.worldSize();
    }

    /** Whether this rank writes checkpoints, metrics and logs (rank 0). */
    public boolean isWriter() {
        return collective.rank() == 0;
    }

    /**
     * The hook that a training loop ({@link org.cnn4j.train.Fit#distributed}) runs after backward: it averages the
     * gradients of the trainable parameters it is given. Every rank must reach it at every optimizer step, so a
     * rank must not skip a step on its own (a non-finite loss stops the run instead: its rank exits, and the others
     * fail naming it).
     */
    public GradientHook gradientHook() {
        return new GradientHook() {
            @Override
            public boolean afterBackward(List<Tensor> params, long update) {
                synchronizeGradients(params);
                return true;
            }
        };
    }

    /** Copies rank 0's parameters and buffers (in {@code stateDict()} order) to every rank. */
    public void broadcastState() {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            collective.broadcast(e.getValue(), 0);
        }
    }

    /**
     * Replaces the gradient of every parameter in {@code params} by its average over the ranks. Every rank must
     * pass the same parameters in the same order (the same model's trainable parameters do).
     */
    public void synchronizeGradients(List<Tensor> params) {
        int n = params.size();
        float[] present = new float[n];
        for (int i = 0; i < n; i++) {
            present[i] = params.get(i).grad() != null ? 1f : 0f;
        }
        collective.allReduce(present, ReduceOp.SUM);
        List<Tensor> synced = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (present[i] > 0) {
                synced.add(params.get(i));
            }
        }
        List<Bucket> inFlight = new ArrayList<>();
        int start = 0;
        try {
            while (start < synced.size()) {
                int end = start;
                long floats = 0;
                do {
                    floats += synced.get(end).numel();
                    end++;
                } while (end < synced.size() && floats + synced.get(end).numel() <= bucketFloats);
                Bucket bucket = Bucket.pack(synced.subList(start, end), Math.toIntExact(floats));
                bucket.reduced = comm.submit(() -> {
                    collective.allReduce(bucket.values, ReduceOp.AVERAGE);
                    return null;
                });
                inFlight.add(bucket);
                start = end;
            }
            for (Bucket b : inFlight) {
                b.reduced.get();
                b.unpack();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CollectiveException("gradient all-reduce failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectiveException("rank " + rank() + ": interrupted during the gradient all-reduce");
        }
    }

    /** Consecutive parameters whose gradients travel in one all-reduce. */
    private static final class Bucket {
        final List<Tensor> params;
        final float[] values;
        Future<?> reduced;

        private Bucket(List<Tensor> params, float[] values) {
            this.params = params;
            this.values = values;
        }

        static Bucket pack(List<Tensor> params, int floats) {
            float[] values = new float[floats];
            int at = 0;
            for (Tensor p : params) {
                int len = Math.toIntExact(p.numel());
                if (p.grad() != null) {
                    System.arraycopy(p.grad().toFloatArray(), 0, values, at, len);
                }
                at += len;
            }
            return new Bucket(List.copyOf(params), values);
        }

        void unpack() {
            int at = 0;
            for (Tensor p : params) {
                int len = Math.toIntExact(p.numel());
                float[] g = java.util.Arrays.copyOfRange(values, at, at + len);
                if (p.grad() == null) {
                    p.setGrad(Tensor.of(p.backend(), g, p.shape()).persist());
                } else {
                    p.backend().write(p.grad(), g, 0);
                }
                at += len;
            }
        }
    }

    /** Stops the communication thread; the collective belongs to the caller. */
    @Override
    public void close() {
        comm.shutdownNow();
    }
}
