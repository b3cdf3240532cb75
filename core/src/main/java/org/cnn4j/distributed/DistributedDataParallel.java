package org.cnn4j.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.BatchNorm2d;
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
 *   <li>Gradients are averaged in buckets of about {@code bucketFloats} floats over the trainable parameters in
 *       reverse order, the order backward finishes them in ({@link GradientBuckets}). When the next backward is
 *       armed ({@link #overlapNextBackward()}, which {@link org.cnn4j.train.Fit} does before the last backward of
 *       each optimizer step) a bucket's all-reduce starts on the communication thread as soon as backward has
 *       finished all its gradients, while backward goes on with the earlier layers; {@link #synchronizeGradients}
 *       then starts what is left and waits. Both paths send the same buckets, so they give the same bits.</li>
 *   <li>BatchNorm keeps local batch statistics on each rank, as in PyTorch, unless switched to
 *       {@link SyncBatchNorm} over {@link #collective()}; the running statistics that get saved are rank 0's.</li>
 *   <li>Only rank 0 writes checkpoints and metrics ({@link #isWriter()}); every rank resumes from the same
 *       checkpoint, so the replicas stay identical across a restart.</li>
 * </ul>
 *
 * <p>Every operation on the collective goes through one {@link OrderedCollective}, so the bucket all-reduces and
 * whatever the training thread sends meanwhile (SyncBatchNorm's statistics) leave in the program's order on every
 * rank.
 */
public final class DistributedDataParallel implements AutoCloseable {
    /** PyTorch's default bucket: 25 MiB of float32. */
    public static final int DEFAULT_BUCKET_FLOATS = 25 * 1024 * 1024 / 4;

    private final Module model;
    private final OrderedCollective collective;
    private final int bucketFloats;
    private GradientBuckets layout;
    private GradientBuckets.Round round;
    private Autograd.Registration armed;
    private boolean syncLayersChecked;

    public DistributedDataParallel(Module model, Collective collective) {
        this(model, collective, DEFAULT_BUCKET_FLOATS);
    }

    public DistributedDataParallel(Module model, Collective collective, int bucketFloats) {
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(collective, "collective");
        if (bucketFloats < 1) {
            throw new IllegalArgumentException("DistributedDataParallel: bucket size must be >= 1 float, got "
                    + bucketFloats);
        }
        this.bucketFloats = bucketFloats;
        this.collective = new OrderedCollective(collective);
    }

    /** The collective every operation of this data-parallel job should use (the ordered view of the given one). */
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
     * The hook that a training loop ({@link org.cnn4j.train.Fit#distributed}) runs around backward: it arms the
     * backward that completes an optimizer step, so buckets start during it, and averages the gradients of the
     * trainable parameters it is given afterwards. Every rank must reach it at every optimizer step, so a rank must
     * not skip a step on its own (a non-finite loss stops the run instead: its rank exits, and the others fail
     * naming it).
     */
    public GradientHook gradientHook() {
        return new GradientHook() {
            @Override
            public void beforeBackward(boolean completesUpdate) {
                if (completesUpdate) {
                    overlapNextBackward();
                }
            }

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
     * Arms the next backward pass on this thread: each bucket of the model's trainable parameters starts its
     * all-reduce once backward has finished every gradient in it. Call it before the backward that completes an
     * optimizer step (after it the gradients must be final), then {@link #synchronizeGradients} with the model's
     * trainable parameters.
     */
    public void overlapNextBackward() {
        checkSyncLayers();
        disarm();
        if (round != null) {
            round.abandon();
        }
        List<Tensor> trainable = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (p.requiresGrad()) {
                trainable.add(p);
            }
        }
        GradientBuckets.Round r = layoutFor(trainable).start(collective);
        round = r;
        armed = Autograd.onGradientReady(r::ready);
    }

    /**
     * Replaces the gradient of every parameter in {@code params} by its average over the ranks. Every rank must
     * pass the same parameters in the same order (the same model's trainable parameters do). After
     * {@link #overlapNextBackward()} the buckets already started are only waited for.
     */
    public void synchronizeGradients(List<Tensor> params) {
        disarm();
        GradientBuckets.Round r = round;
        round = null;
        if (r == null || !r.layout().covers(params)) {
            if (r != null) {
                r.abandon();
            }
            r = layoutFor(params).start(collective);
        }
        r.finish();
    }

    /** The bucket layout of {@code params}, taken in the model's parameter order whatever the list's order. */
    private GradientBuckets layoutFor(List<Tensor> params) {
        if (layout == null || !layout.covers(params)) {
            Set<Tensor> given = Collections.newSetFromMap(new IdentityHashMap<>());
            given.addAll(params);
            List<Tensor> ordered = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                if (given.remove(p)) {
                    ordered.add(p);
                }
            }
            for (Tensor p : params) {
                if (given.remove(p)) {
                    ordered.add(p); // not the model's own: after its parameters, in the given order
                }
            }
            layout = new GradientBuckets(ordered, bucketFloats);
        }
        return layout;
    }

    private void disarm() {
        if (armed != null) {
            armed.close();
            armed = null;
        }
    }

    /** A SyncBatchNorm layer on another collective would send outside the order this one keeps. */
    private void checkSyncLayers() {
        if (syncLayersChecked) {
            return;
        }
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof BatchNorm2d bn && bn.trainingNorm() instanceof SyncBatchNorm s
                    && s.collective() != collective) {
                throw new IllegalStateException("SyncBatchNorm layer '" + e.getKey() + "' communicates over another"
                        + " collective than this DistributedDataParallel's; convert with"
                        + " SyncBatchNorm.convert(model, ddp.collective())");
            }
        }
        syncLayersChecked = true;
    }

    /** Stops the communication thread; the collective given to the constructor belongs to the caller. */
    @Override
    public void close() {
        disarm();
        collective.close();
    }
}
