package org.cnn4j.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.ImageShape;
import org.cnn4j.distributed.Collective;
import org.cnn4j.distributed.ReduceOp;
import org.cnn4j.distributed.TcpRingCollective;

import scala.Tuple2;

/**
 * Data-parallel training on a DataFrame of images and labels: row {@code i} (in the DataFrame's order) goes to rank
 * {@code i mod ranks}, each rank turns its rows into an {@link ArrayDataset} in their original order, and the ranks
 * train on their own examples in one barrier stage, joined in a ring. The image column holds raw pixels, one byte
 * per value in channel-height-width order ({@code shape}); the label column an integer class index.
 *
 * <p>Every rank gets as many examples as the smallest partition (the ranks agree on it over the ring), so every
 * rank takes the same number of steps; with modulo partitioning at most {@code ranks - 1} rows are left out.
 */
public final class SparkDataFrames {
    private SparkDataFrames() {
    }

    /** Where the images and labels are and what they are (plain fields: Spark serialises it into every task). */
    public record Columns(String image, String label, int channels, int height, int width, List<String> classNames)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public Columns {
            classNames = List.copyOf(classNames);
            new ImageShape(channels, height, width); // checks the dimensions
        }

        public Columns(String image, String label, ImageShape shape, List<String> classNames) {
            this(image, label, shape.channels(), shape.height(), shape.width(), classNames);
        }

        public ImageShape shape() {
            return new ImageShape(channels, height, width);
        }
    }

    /** One rank's training on its examples, given the ring; returns a small serializable result. */
    @FunctionalInterface
    public interface Worker<R extends Serializable> extends Serializable {
        R run(Collective collective, ArrayDataset examples) throws Exception;
    }

    /** Runs {@code worker} on {@code ranks} barrier tasks, each with its share of {@code frame}; rank order. */
    public static <R extends Serializable> List<R> run(Dataset<Row> frame, Columns columns, int ranks,
                                                       Duration timeout, Worker<R> worker) {
        if (ranks < 1) {
            throw new IllegalArgumentException("expected at least 1 rank, got " + ranks);
        }
        JavaPairRDD<Integer, Tuple2<Row, Long>> byRank = frame.javaRDD().zipWithIndex()
                .mapToPair(t -> new Tuple2<>((int) (t._2() % ranks), t))
                .partitionBy(new HashPartitioner(ranks)); // key r < ranks goes to partition r
        return SparkDataParallel.runPartitions(byRank.values(), timeout, (rows, ring, listener) -> {
            List<Tuple2<Row, Long>> mine = new ArrayList<>();
            rows.forEachRemaining(mine::add);
            mine.sort((a, b) -> Long.compare(a._2(), b._2())); // the shuffle does not keep the order
            try (Collective c = TcpRingCollective.connect(ring.rank(), ring.addresses(), listener, ring.timeout())) {
                return worker.run(c, toDataset(mine.subList(0, smallestShare(c, mine.size())), columns));
            }
        });
    }

    /** Rows (with their DataFrame index, for messages) as a dataset. */
    static ArrayDataset toDataset(List<Tuple2<Row, Long>> list, Columns columns) {
        ImageShape shape = columns.shape();
        int size = shape.channels() * shape.height() * shape.width();
        byte[] pixels = new byte[Math.multiplyExact(list.size(), size)];
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Row row = list.get(i)._1();
            long at = list.get(i)._2();
            Object image = row.getAs(columns.image());
            if (!(image instanceof byte[] bytes) || bytes.length != size) {
                throw new IllegalArgumentException("DataFrame row " + at + ": column '" + columns.image()
                        + "' must hold " + size + " bytes (" + shape.channels() + "x" + shape.height() + "x"
                        + shape.width() + " pixels), got " + describe(image));
            }
            System.arraycopy(bytes, 0, pixels, i * size, size);
            Object label = row.getAs(columns.label());
            if (!(label instanceof Number n) || n.longValue() < 0 || n.longValue() >= columns.classNames().size()) {
                throw new IllegalArgumentException("DataFrame row " + at + ": column '" + columns.label()
                        + "' must hold a class index in 0.." + (columns.classNames().size() - 1) + ", got " + label);
            }
            labels[i] = n.intValue();
        }
        return new ArrayDataset(pixels, labels, shape, columns.classNames());
    }

    private static String describe(Object value) {
        return value instanceof byte[] b ? b.length + " bytes" : value == null ? "null"
                : "a " + value.getClass().getSimpleName();
    }

    /** The smallest rank's example count: each rank sends its count in its own slot, the sum gathers them. */
    static int smallestShare(Collective c, int mine) {
        float[] counts = new float[c.worldSize()];
        counts[c.rank()] = mine; // exact: a partition of fewer than 2^24 rows
        c.allReduce(counts, ReduceOp.SUM);
        int min = mine;
        for (float n : counts) {
            min = Math.min(min, (int) n);
        }
        return min;
    }
}
