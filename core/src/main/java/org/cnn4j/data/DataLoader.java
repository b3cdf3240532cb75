package org.cnn4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Batches a {@link Dataset}, optionally shuffled and transformed, with the next batches prepared on one
 * background daemon thread (at most {@value #PREFETCH} waiting), so they are ready when a step ends.
 *
 * <p>Reproducible: epoch {@code k}'s order depends only on (seed, k), and the random transforms of its batch
 * {@code b} only on (seed, k, b), so resuming at epoch k replays it exactly. Batches are host data; the
 * loader never touches a backend. Use one {@link Epoch} at a time:
 * <pre>{@code
 * try (DataLoader loader = new DataLoader(train, 64, true, 42, false, new ToUnit());
 *      DataLoader.Epoch batches = loader.epoch(k)) {
 *     while (batches.hasNext()) { Batch b = batches.next(); ... }
 * }
 * }</pre>
 */
public final class DataLoader implements AutoCloseable {

    /** Batches prepared ahead of the consumer. */
    public static final int PREFETCH = 2;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Transform transform;
    private Epoch current;

    /**
     * @param transform applied to every example in the background thread, or {@code null} for none
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast,
                      Transform transform) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: expected batchSize > 0, got " + batchSize);
        }
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("DataLoader: the dataset is empty");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.transform = transform;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** Batches per epoch: size / batchSize rounded down with drop-last, up without. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The example indices of epoch {@code epoch} in the order they are batched. */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Starts prefetching epoch {@code epoch}; an epoch still open is closed first. */
    public synchronized Epoch epoch(int epoch) {
        if (current != null) {
            current.close();
        }
        current = new Epoch(epoch, order(epoch));
        return current;
    }

    /** Stops the background thread of the open epoch, if any. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** SplitMix64 finaliser over two values: distinct, well-spread seeds for each (seed, epoch) pair. */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Batch makeBatch(int epoch, int batch, int[] order) {
        int from = batch * batchSize;
        int n = Math.min(batchSize, order.length - from);
        SplittableRandom rng = new SplittableRandom(mix(mix(seed, epoch), batch));
        int[] labels = new int[n];
        float[] data = null;
        ImageShape shape = null;
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            Example example = dataset.get(index);
            if (transform != null) {
                example = transform.apply(example, rng);
            }
            if (shape == null) {
                shape = example.shape();
                data = new float[n * shape.size()];
            } else if (!shape.equals(example.shape())) {
                throw new IllegalStateException("DataLoader: example " + index + " has shape " + example.shape()
                        + " but the batch started with " + shape + " (add Resize/CenterCrop to the transform)");
            }
            System.arraycopy(example.image(), 0, data, i * shape.size(), shape.size());
            labels[i] = example.label();
        }
        return new Batch(data, labels, shape);
    }

    /** One epoch's batches, produced by a background thread; close it to stop the thread early. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {

        private static final Object END = new Object();
        private final int epoch;
        private final int total;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
        private final Thread thread;
        private int delivered;
        private volatile boolean closed;

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.total = batchesPerEpoch();
            this.thread = new Thread(() -> produce(order), "cnn4j-data-loader-epoch-" + epoch);
            thread.setDaemon(true);
            thread.start();
        }

        private void produce(int[] order) {
            try {
                for (int b = 0; b < total && !closed; b++) {
                    Object item;
                    try {
                        item = makeBatch(epoch, b, order);
                    } catch (RuntimeException | Error e) {
                        item = new DataLoaderException("DataLoader: batch " + b + " of epoch " + epoch
                                + " failed: " + e, e);
                        queue.put(item);
                        return;
                    }
                    queue.put(item);
                }
                queue.put(END);
            } catch (InterruptedException e) {
                // close() interrupts a producer blocked on a full queue: just stop
            }
        }

        /** The epoch number this iterator serves. */
        public int epochNumber() {
            return epoch;
        }

        @Override
        public boolean hasNext() {
            return !closed && delivered < total;
        }

        /**
         * The next batch, waiting for the background thread if it is not ready.
         *
         * @throws DataLoaderException wrapping what the dataset or a transform threw
         */
        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no batch after "
                        + delivered + (closed ? " (closed)" : ""));
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataLoaderException("DataLoader: interrupted waiting for batch " + delivered, e);
            }
            if (item instanceof DataLoaderException failure) {
                close();
                throw new DataLoaderException(failure.getMessage(), failure.getCause());
            }
            if (item == END) {
                throw new IllegalStateException("DataLoader: producer ended after " + delivered + " of "
                        + total + " batches");
            }
            delivered++;
            return (Batch) item;
        }

        /** Stops the background thread and waits for it to end. */
        @Override
        public void close() {
            closed = true;
            thread.interrupt();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            queue.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Batches waiting in the queue (for tests). */
        int queued() {
            return queue.size();
        }

        /** The background thread (for tests). */
        Thread thread() {
            return thread;
        }
    }
}
