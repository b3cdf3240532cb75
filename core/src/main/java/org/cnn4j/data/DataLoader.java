package org.cnn4j.data;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Batches a {@link Dataset}, optionally shuffled and transformed, with the next batches read and transformed on
 * {@code workers} background daemon threads (at most {@code workers + }{@value #PREFETCH} batches prepared
 * ahead), so they are ready when a step ends. Batches come out in order.
 *
 * <p>Reproducible whatever the number of workers: epoch {@code k}'s order depends only on (seed, k), the random
 * transforms of an example only on (seed, k, its dataset index), and a batch transform only on (seed, k, batch
 * index); so resuming at epoch k replays it exactly. Batches are host data; the loader never touches a backend.
 * Use one {@link Epoch} at a time:
 * <pre>{@code
 * try (DataLoader loader = new DataLoader(train, 64, true, 42, false, new ToUnit());
 *      DataLoader.Epoch batches = loader.epoch(k)) {
 *     while (batches.hasNext()) { Batch b = batches.next(); ... }
 * }
 * }</pre>
 */
public final class DataLoader implements AutoCloseable {

    /** Batches prepared ahead of the consumer beyond one per worker. */
    public static final int PREFETCH = 2;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Transform transform;
    private final BatchTransform batchTransform;
    private final int workers;
    private Epoch current;

    /** A loader with {@link #defaultWorkers()} threads and no batch transform. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast,
                      Transform transform) {
        this(dataset, batchSize, shuffle, seed, dropLast, transform, null, defaultWorkers());
    }

    /**
     * @param transform      applied to every example on a worker thread, or {@code null} for none
     * @param batchTransform applied to every stacked batch on a worker thread, or {@code null} for none
     * @param workers        threads reading and transforming batches, at least 1
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast,
                      Transform transform, BatchTransform batchTransform, int workers) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: expected batchSize > 0, got " + batchSize);
        }
        if (workers <= 0) {
            throw new IllegalArgumentException("DataLoader: expected workers > 0, got " + workers);
        }
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("DataLoader: the dataset is empty");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.transform = transform;
        this.batchTransform = batchTransform;
        this.workers = workers;
    }

    /** Half the available processors (the other half computes), at least 1 and at most 8. */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }

    public Dataset dataset() {
        return dataset;
    }

    public int workers() {
        return workers;
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

    /** Starts preparing epoch {@code epoch}; an epoch still open is closed first. */
    public synchronized Epoch epoch(int epoch) {
        if (current != null) {
            current.close();
        }
        current = new Epoch(epoch, order(epoch));
        return current;
    }

    /** Stops the worker threads of the open epoch, if any. */
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

    /** The random stream of example {@code index}'s transforms in epoch {@code epoch}. */
    static SplittableRandom exampleRandom(long seed, int epoch, int index) {
        return new SplittableRandom(mix(mix(seed, epoch), index));
    }

    /** The random stream of batch {@code batch}'s batch transform in epoch {@code epoch}. */
    static SplittableRandom batchRandom(long seed, int epoch, int batch) {
        return new SplittableRandom(mix(mix(~seed, epoch), batch));
    }

    private Batch makeBatch(int epoch, int batch, int[] order) {
        int from = batch * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int[] labels = new int[n];
        float[] data = null;
        ImageShape shape = null;
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            Example example = dataset.get(index);
            if (transform != null) {
                example = transform.apply(example, exampleRandom(seed, epoch, index));
            }
            if (shape == null) {
                shape = example.shape();
                data = new float[n * shape.size()];
            } else if (!shape.equals(example.shape())) {
                throw new IllegalStateException("example " + index + " has shape " + example.shape()
                        + " but the batch started with " + shape + " (add Resize/CenterCrop to the transform)");
            }
            System.arraycopy(example.image(), 0, data, i * shape.size(), shape.size());
            labels[i] = example.label();
        }
        Batch out = new Batch(data, labels, shape);
        return batchTransform == null ? out : batchTransform.apply(out, batchRandom(seed, epoch, batch));
    }

    /** The message of what a reader or transform threw, without wrapper or class names where it has one. */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof UncheckedIOException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return ImageFiles.describe(cause);
    }

    /** One epoch's batches, prepared by worker threads; close it to stop them early. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {

        private final int epoch;
        private final int total;
        private final int[] order;
        private final ExecutorService pool;
        private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
        private int submitted;
        private int delivered;
        private boolean closed;

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.total = batchesPerEpoch();
            this.order = order;
            this.pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "cnn4j-data-loader-epoch-" + epoch);
                t.setDaemon(true);
                return t;
            });
            while (submitted < total && submitted < workers + PREFETCH) {
                submitNext();
            }
        }

        private void submitNext() {
            int b = submitted++;
            pending.add(pool.submit(() -> makeBatch(epoch, b, order)));
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
         * The next batch, waiting for the workers if it is not ready.
         *
         * @throws DataLoaderException saying which batch of which epoch (both counted from 1) failed and why
         */
        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + (epoch + 1) + " has no batch after "
                        + delivered + (closed ? " (closed)" : ""));
            }
            Future<Batch> head = pending.poll();
            if (submitted < total) {
                submitNext();
            }
            Batch batch;
            try {
                batch = head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new DataLoaderException("interrupted waiting for batch " + (delivered + 1) + " of epoch "
                        + (epoch + 1), e);
            } catch (ExecutionException | CancellationException e) {
                close();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new DataLoaderException("reading batch " + (delivered + 1) + " of epoch " + (epoch + 1)
                        + ": " + reason(cause), cause);
            }
            delivered++;
            return batch;
        }

        /** Stops the workers and waits for them to end. */
        @Override
        public void close() {
            closed = true;
            for (Future<Batch> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            pool.shutdownNow();
            boolean interrupted = false;
            while (!pool.isTerminated()) {
                try {
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Batches already prepared and waiting (for tests). */
        int prepared() {
            return (int) pending.stream().filter(Future::isDone).count();
        }

        /** Batches handed to the workers so far (for tests). */
        int submitted() {
            return submitted;
        }

        /** Whether every worker thread has ended (for tests). */
        boolean stopped() {
            return pool.isTerminated();
        }
    }
}
