package org.cnn4j.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import org.cnn4j.tensor.Tensor;

/**
 * How the gradients of a list of parameters travel: in buckets of about {@code bucketFloats} floats, filled from
 * the last parameter to the first (the order in which backward finishes them, as PyTorch's DDP does), each bucket
 * one all-reduce of its gradients followed by one presence flag per parameter. A parameter whose gradient is missing
 * on a rank sends zeros and a 0 flag; one missing on every rank keeps no gradient (the optimizer skips it as it would
 * alone). The layout depends only on the parameter list, so every rank, and the overlapped and the after-backward
 * path, send the same buffers and get the same bits.
 */
final class GradientBuckets {
    private final List<Tensor> params;
    private final List<List<Tensor>> buckets = new ArrayList<>();
    private final Map<Tensor, Integer> bucketOf = new IdentityHashMap<>();

    GradientBuckets(List<Tensor> params, int bucketFloats) {
        this.params = List.copyOf(params);
        List<Tensor> current = new ArrayList<>();
        long floats = 0;
        for (int i = this.params.size() - 1; i >= 0; i--) {
            Tensor p = this.params.get(i);
            if (!current.isEmpty() && floats + p.numel() > bucketFloats) {
                buckets.add(current);
                current = new ArrayList<>();
                floats = 0;
            }
            current.add(p);
            floats += p.numel();
            bucketOf.put(p, buckets.size());
        }
        if (!current.isEmpty()) {
            buckets.add(current);
        }
    }

    List<Tensor> params() {
        return params;
    }

    /** Whether {@code list} holds exactly this layout's parameters (in any order). */
    boolean covers(List<Tensor> list) {
        Set<Tensor> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        mine.addAll(params);
        Set<Tensor> theirs = Collections.newSetFromMap(new IdentityHashMap<>());
        theirs.addAll(list);
        return list.size() == params.size() && theirs.size() == mine.size() && mine.containsAll(theirs);
    }

    int bucketCount() {
        return buckets.size();
    }

    Round start(OrderedCollective collective) {
        return new Round(collective);
    }

    /**
     * One optimizer step's averaging: buckets start in index order, each once all its parameters are
     * {@linkplain #ready ready} and every earlier bucket has started (the same sequence of operations on every rank,
     * whatever the timing); {@link #finish} starts the rest, waits and writes the averages back.
     */
    final class Round {
        private final OrderedCollective collective;
        private final int[] waiting = new int[buckets.size()];
        private final float[][] values = new float[buckets.size()][];
        private final List<Future<?>> started = new ArrayList<>();

        private Round(OrderedCollective collective) {
            this.collective = collective;
            for (int b = 0; b < buckets.size(); b++) {
                waiting[b] = buckets.get(b).size();
            }
        }

        GradientBuckets layout() {
            return GradientBuckets.this;
        }

        /** Backward has finished {@code leaf}'s gradient (leaves of other modules are ignored). */
        void ready(Tensor leaf) {
            Integer b = bucketOf.get(leaf);
            if (b != null && waiting[b] > 0) {
                waiting[b]--;
                startReady();
            }
        }

        private void startReady() {
            while (started.size() < buckets.size() && waiting[started.size()] == 0) {
                startNext();
            }
        }

        private void startNext() {
            int b = started.size();
            values[b] = pack(buckets.get(b));
            started.add(collective.allReduceAsync(values[b], ReduceOp.AVERAGE));
        }

        /** How many buckets have started (for tests: those started before {@link #finish} overlapped backward). */
        int startedCount() {
            return started.size();
        }

        void finish() {
            while (started.size() < buckets.size()) {
                startNext();
            }
            for (int b = 0; b < buckets.size(); b++) {
                OrderedCollective.await(started.get(b), collective.rank());
                unpack(buckets.get(b), values[b]);
            }
        }

        /** Waits for the buckets already started and drops their results. */
        void abandon() {
            for (Future<?> f : started) {
                OrderedCollective.await(f, collective.rank());
            }
        }
    }

    private static float[] pack(List<Tensor> bucket) {
        long floats = bucket.size();
        for (Tensor p : bucket) {
            floats += p.numel();
        }
        float[] values = new float[Math.toIntExact(floats)];
        int at = 0;
        int flag = values.length - bucket.size();
        for (Tensor p : bucket) {
            int len = Math.toIntExact(p.numel());
            if (p.grad() != null) {
                System.arraycopy(p.grad().toFloatArray(), 0, values, at, len);
                values[flag] = 1;
            }
            at += len;
            flag++;
        }
        return values;
    }

    private static void unpack(List<Tensor> bucket, float[] values) {
        int at = 0;
        int flag = values.length - bucket.size();
        for (Tensor p : bucket) {
            int len = Math.toIntExact(p.numel());
            if (values[flag++] > 0) {
                float[] g = java.util.Arrays.copyOfRange(values, at, at + len);
                if (p.grad() == null) {
                    p.setGrad(Tensor.of(p.backend(), g, p.shape()).persist());
                } else {
                    p.backend().write(p.grad(), g, 0);
                }
            }
            at += len;
        }
    }
}
