package org.cnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.cnn4j.distributed.Collective;
import org.cnn4j.distributed.RingEnvironment;
import org.cnn4j.distributed.TcpRingCollective;

import scala.Function1;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs a data-parallel job as one Spark stage in barrier execution mode: Spark starts all {@code ranks} tasks
 * together (or none), each task is one rank, and the ranks meet through the barrier context: every task listens on a
 * free port, {@code allGather} tells every task all the addresses, and the tasks join a {@link TcpRingCollective}.
 * When a task fails, Spark stops the others of the stage, and retries the whole stage when task retries are allowed
 * ({@code spark.task.maxFailures}, or {@code local[N,F]}): a worker function that resumes from its last checkpoint
 * then continues where the job stopped. A rank still blocked in the ring fails within the collective timeout naming
 * the lost rank.
 */
public final class SparkDataParallel {
    private SparkDataParallel() {
    }

    /** One rank's work: given the ring, return a (small, serializable) result for the driver. */
    @FunctionalInterface
    public interface Worker<R extends Serializable> extends Serializable {
        R run(Collective collective) throws Exception;
    }

    /** One rank's work when it joins the ring itself (e.g. {@code cnn train} as a worker): given its place. */
    @FunctionalInterface
    public interface RingWorker<R extends Serializable> extends Serializable {
        R run(RingEnvironment ring) throws Exception;
    }

    /** What a task runs once the addresses are known: the listener is this rank's, already bound. */
    private interface RankTask<R extends Serializable> extends Serializable {
        R run(RingEnvironment ring, ServerSocket listener) throws Exception;
    }

    /** Runs {@code worker} on {@code ranks} barrier tasks with a joined ring; returns the results in rank order. */
    public static <R extends Serializable> List<R> run(JavaSparkContext sc, int ranks, Duration timeout,
                                                       Worker<R> worker) {
        return runTasks(sc, ranks, timeout, (ring, listener) -> {
            try (Collective c = TcpRingCollective.connect(ring.rank(), ring.addresses(), listener, ring.timeout())) {
                return worker.run(c);
            }
        });
    }

    /**
     * Runs {@code worker} on {@code ranks} barrier tasks, each given its place in the ring to join itself (the port
     * was free when the addresses were gathered and is released just before the worker runs).
     */
    public static <R extends Serializable> List<R> runJoiningThemselves(JavaSparkContext sc, int ranks,
                                                                        Duration timeout, RingWorker<R> worker) {
        return runTasks(sc, ranks, timeout, (ring, listener) -> {
            listener.close();
            return worker.run(ring);
        });
    }

    private static <R extends Serializable> List<R> runTasks(JavaSparkContext sc, int ranks, Duration timeout,
                                                             RankTask<R> worker) {
        if (ranks < 1) {
            throw new IllegalArgumentException("expected at least 1 rank, got " + ranks);
        }
        List<Integer> slots = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            slots.add(r);
        }
        return runPartitions(sc.parallelize(slots, ranks), timeout, (rows, ring, listener) -> worker.run(ring, listener));
    }

    /** What a task runs on its partition once the addresses are known. */
    interface PartitionTask<T, R extends Serializable> extends Serializable {
        R run(Iterator<T> rows, RingEnvironment ring, ServerSocket listener) throws Exception;
    }

    /**
     * Runs {@code task} as one barrier task per partition of {@code rdd} (partition r is rank r) and returns the
     * results in rank order.
     */
    static <T, R extends Serializable> List<R> runPartitions(JavaRDD<T> rdd, Duration timeout,
                                                             PartitionTask<T, R> task) {
        long timeoutMillis = timeout.toMillis();
        Function1<scala.collection.Iterator<T>, scala.collection.Iterator<RankResult<R>>> body =
                (Function1<scala.collection.Iterator<T>, scala.collection.Iterator<RankResult<R>>> & Serializable)
                        rows -> JavaConverters.asScalaIteratorConverter(runRank(
                                JavaConverters.asJavaIteratorConverter(rows).asJava(), task,
                                Duration.ofMillis(timeoutMillis))).asScala();
        @SuppressWarnings("unchecked")
        ClassTag<RankResult<R>> tag = (ClassTag<RankResult<R>>) (ClassTag<?>) ClassTag$.MODULE$.apply(RankResult.class);
        // through a shuffle, so that the barrier stage is a map stage: Spark retries a failed barrier map stage as a
        // whole, but never a failed barrier result stage
        List<RankResult<R>> sorted = new ArrayList<>(JavaRDD.fromRDD(rdd.rdd().barrier().mapPartitions(body, false,
                tag), tag).repartition(1).collect());
        sorted.sort((a, b) -> Integer.compare(a.rank(), b.rank()));
        List<R> out = new ArrayList<>();
        for (RankResult<R> r : sorted) {
            out.add(r.value());
        }
        return Collections.unmodifiableList(out);
    }

    /** A rank's result tagged with its rank (partitions come back in order, but say so explicitly). */
    public record RankResult<R extends Serializable>(int rank, R value) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static <T, R extends Serializable> Iterator<RankResult<R>> runRank(Iterator<T> rows,
                                                                              PartitionTask<T, R> worker,
                                                                              Duration timeout) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        String executor = ctx.getTaskInfos()[rank].address();
        String host = executor.contains(":") ? executor.substring(0, executor.lastIndexOf(':')) : executor;
        ServerSocket listener;
        try {
            listener = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + ": cannot open a port for the ring", e);
        }
        String[] all = ctx.allGather(host + ":" + listener.getLocalPort());
        List<InetSocketAddress> addresses = TcpRingCollective.parseAddresses(String.join(",", all));
        try {
            return List.of(new RankResult<>(rank, worker.run(rows, new RingEnvironment(rank, addresses, timeout),
                    listener))).iterator();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("rank " + rank + " failed: " + e.getMessage(), e);
        } finally {
            try {
                listener.close();
            } catch (IOException ignored) {
                // already closed by the ring or the worker
            }
        }
    }
}
