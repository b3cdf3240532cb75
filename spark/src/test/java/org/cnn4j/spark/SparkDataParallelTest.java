package org.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageShape;
import org.cnn4j.data.ToUnit;
import org.cnn4j.distributed.Collective;
import org.cnn4j.distributed.DistributedDataParallel;
import org.cnn4j.distributed.DistributedSampler;
import org.cnn4j.distributed.InProcessGroup;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Spark local[2] barrier job trains data-parallel and ends with the bits of the same run on an in-process group;
 * a failing rank fails the job instead of hanging it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SparkDataParallelTest {
    private static final Object INIT_LOCK = new Object();
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = localSpark("local[2]");
    }

    /** A local-mode Spark on loopback without its web UI, logging errors only. */
    static JavaSparkContext localSpark(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("cnn4j-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext context = new JavaSparkContext(conf);
        context.setLogLevel("ERROR");
        return context;
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** 64 images of 4x4 pixels (pixels then labels); the label says whether the left half is brighter. */
    private static Object[] raw() {
        java.util.Random r = new java.util.Random(5);
        byte[] pixels = new byte[64 * 16];
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            int left = 0;
            for (int p = 0; p < 16; p++) {
                int v = r.nextInt(256);
                pixels[i * 16 + p] = (byte) v;
                left += (p % 4 < 2 ? v : -v);
            }
            labels[i] = left > 0 ? 1 : 0;
        }
        return new Object[] {pixels, labels};
    }

    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    private static final List<String> CLASSES = List.of("right", "left");

    private static ArrayDataset data() {
        Object[] raw = raw();
        return new ArrayDataset((byte[]) raw[0], (int[]) raw[1], SHAPE, CLASSES);
    }

    /** The examples whose index is {@code rank} modulo {@code ranks}, in order. */
    private static ArrayDataset everyOther(int rank, int ranks) {
        Object[] raw = raw();
        byte[] pixels = (byte[]) raw[0];
        int[] labels = (int[]) raw[1];
        int n = (labels.length - rank + ranks - 1) / ranks;
        byte[] p = new byte[n * 16];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, (rank + i * ranks) * 16, p, i * 16, 16);
            l[i] = labels[rank + i * ranks];
        }
        return new ArrayDataset(p, l, SHAPE, CLASSES);
    }

    /** Two epochs of data-parallel SGD on shards of the whole set; see {@link #trainOn}. */
    static float[] train(Collective c) {
        DistributedSampler sampler = new DistributedSampler(data(), 16, c.rank(), c.worldSize(), true, 3);
        return trainOn(c, sampler::shard, sampler.localBatch(), false, 3);
    }

    /** Two epochs of data-parallel SGD, each rank on its own examples in batches of 8, shuffled. */
    static float[] trainLocal(Collective c, ArrayDataset local) {
        return trainOn(c, epoch -> local, 8, true, 3 + c.rank());
    }

    /** Two epochs of data-parallel SGD; returns the final parameters followed by every step's local loss. */
    static float[] trainOn(Collective c, java.util.function.IntFunction<org.cnn4j.data.Dataset> epochData,
                           int localBatch, boolean shuffle, long seed) {
        CpuBackend be = new CpuBackend();
        try (Backends.Use use = Backends.use(be); MemoryScope scope = MemoryScope.open()) {
            Module m;
            synchronized (INIT_LOCK) { // Spark's local mode runs the ranks as threads of one JVM
                Init.manualSeed(10 + c.rank());
                m = new Sequential(new Flatten(), new Linear(16, 8), new ReLU(), new Linear(8, 2));
            }
            List<Float> out = new ArrayList<>();
            try (m; DistributedDataParallel ddp = new DistributedDataParallel(m, c);
                 Optimizer opt = new SGD(m.parameters(), 0.5, 0.9)) {
                ddp.broadcastState();
                for (int epoch = 0; epoch < 2; epoch++) {
                    try (DataLoader loader = new DataLoader(epochData.apply(epoch), localBatch, shuffle, seed,
                            false, new ToUnit(), null, 1); DataLoader.Epoch batches = loader.epoch(epoch)) {
                        while (batches.hasNext()) {
                            Batch b = batches.next();
                            try (MemoryScope step = MemoryScope.open()) {
                                opt.zeroGrad();
                                Tensor loss = Losses.crossEntropy(m.call(Tensor.of(be, b.data(), Shape.of(b.dims()))),
                                        b.labels());
                                loss.backward();
                                ddp.synchronizeGradients(m.parameters());
                                opt.step();
                                out.add(loss.item());
                            }
                        }
                    }
                }
                List<Float> params = new ArrayList<>();
                for (Tensor p : m.parameters()) {
                    for (float v : p.toFloatArray()) {
                        params.add(v);
                    }
                }
                params.addAll(out);
                m.zeroGrad();
                float[] result = new float[params.size()];
                for (int i = 0; i < result.length; i++) {
                    result[i] = params.get(i);
                }
                return result;
            }
        }
    }

    @Test
    void aBarrierJobTrainsLikeTheInProcessGroupBitForBit() throws Exception {
        List<float[]> spark = SparkDataParallel.run(sc, 2, Duration.ofSeconds(60), SparkDataParallelTest::train);
        List<float[]> local = inProcess((member, rank) -> train(member));
        int params = 16 * 8 + 8 + 8 * 2 + 2;
        float[] rank0 = local.get(0);
        float[] rank1 = local.get(1);
        assertArrayEquals(Arrays.copyOf(rank0, params), Arrays.copyOf(rank1, params), "replicas differ");
        assertEquals(2, spark.size());
        assertArrayEquals(rank0, spark.get(0), "Spark rank 0 vs in-process rank 0 (parameters, local losses)");
        assertArrayEquals(rank1, spark.get(1), "Spark rank 1 vs in-process rank 1 (parameters, local losses)");
    }

    /** Runs {@code body} on the two ranks of an in-process group, one thread each; results in rank order. */
    private static List<float[]> inProcess(java.util.function.BiFunction<Collective, Integer, float[]> body)
            throws Exception {
        InProcessGroup group = InProcessGroup.create(2, Duration.ofSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Collective member = group.member(r);
                int rank = r;
                futures.add(pool.submit(() -> body.apply(member, rank)));
            }
            List<float[]> out = new ArrayList<>();
            for (Future<float[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Dataset<Row> frame(int rows, int imageBytes) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Object[] raw = raw();
        byte[] pixels = (byte[]) raw[0];
        int[] labels = (int[]) raw[1];
        List<Row> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(RowFactory.create(Arrays.copyOfRange(pixels, i * 16, i * 16 + imageBytes), labels[i]));
        }
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.IntegerType);
        return spark.createDataFrame(list, schema);
    }

    /**
     * A DataFrame of raw images and labels: rank r gets rows r, r + 2, ... and trains on them; the barrier job ends
     * with the bits of the in-process group whose ranks were given those rows by hand. With 63 rows the ranks
     * would hold 32 and 31: both train on 31, the same number of steps.
     */
    @Test
    void aDataFrameIsSharedOutToTheRanksRowByRow() throws Exception {
        SparkDataFrames.Columns columns = new SparkDataFrames.Columns("image", "label", SHAPE, CLASSES);
        List<float[]> spark = SparkDataFrames.run(frame(64, 16), columns, 2, Duration.ofSeconds(60),
                SparkDataParallelTest::trainLocal);
        List<float[]> local = inProcess((member, rank) -> trainLocal(member, everyOther(rank, 2)));
        assertEquals(2, spark.size());
        assertArrayEquals(local.get(0), spark.get(0), "rank 0 (parameters, local losses)");
        assertArrayEquals(local.get(1), spark.get(1), "rank 1 (parameters, local losses)");
        List<Integer> sizes = SparkDataFrames.run(frame(63, 16), columns, 2, Duration.ofSeconds(60),
                (c, examples) -> examples.size());
        assertEquals(List.of(31, 31), sizes);
    }

    @Test
    void aDataFrameRowOfTheWrongSizeIsNamed() {
        SparkDataFrames.Columns columns = new SparkDataFrames.Columns("image", "label", SHAPE, CLASSES);
        Exception e = assertThrows(Exception.class, () -> SparkDataFrames.run(frame(8, 15), columns, 2,
                Duration.ofSeconds(30), (c, examples) -> examples.size()));
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("DataFrame row") && m.contains("16 bytes") && m.contains("got 15 bytes"), m);
    }

    @Test
    void aFailingRankFailsTheJob() {
        long start = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> SparkDataParallel.run(sc, 2, Duration.ofSeconds(60), c -> {
            if (c.rank() == 1) {
                throw new IllegalStateException("rank 1 gives up");
            }
            c.barrier();
            return 0;
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("rank 1 gives up")
                || String.valueOf(e.getMessage()).contains("rank 1"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(50), "the job waited for the timeout");
    }

    /**
     * {@code cnn train} as a barrier job (SparkTrain) on the embedded Fashion-MNIST subset: 2 ranks give the step
     * losses of 1 rank (which is the plain single-process run, see TrainNprocTest) within 1e-5 relative, and the
     * same final test accuracy within one test image.
     */
    @Test
    void cnnTrainAsABarrierJobGivesTheSingleProcessRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        List<String> options = List.of("--model", "lenet5", "--limit-train", "1280", "--limit-test", "128",
                "--batch-size", "64", "--epochs", "1", "--optimizer", "sgd", "--lr", "0.1", "--schedule", "none",
                "--backend", "cpu", "--seed", "3", "--no-tensorboard", "--workers", "1");
        java.nio.file.Path one = tmp.resolve("one");
        java.nio.file.Path two = tmp.resolve("two");
        List<String> a = new ArrayList<>(options);
        a.addAll(List.of("--out", one.toString()));
        List<String> b = new ArrayList<>(options);
        b.addAll(List.of("--out", two.toString()));
        assertEquals(List.of(0), SparkTrain.train(sc, 1, Duration.ofSeconds(120), a));
        assertEquals(List.of(0, 0), SparkTrain.train(sc, 2, Duration.ofSeconds(120), b));
        List<String> l1 = java.nio.file.Files.readAllLines(one.resolve("steps.csv"));
        List<String> l2 = java.nio.file.Files.readAllLines(two.resolve("steps.csv"));
        assertEquals(21, l1.size(), "a header and 20 steps");
        assertEquals(l1.size(), l2.size());
        for (int s = 1; s < l1.size(); s++) {
            double x = Double.parseDouble(l1.get(s).substring(l1.get(s).lastIndexOf(',') + 1));
            double y = Double.parseDouble(l2.get(s).substring(l2.get(s).lastIndexOf(',') + 1));
            assertEquals(x, y, 1e-5 * x, "step " + s);
        }
        com.fasterxml.jackson.databind.JsonNode m1 = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(one.resolve("metrics.json").toFile());
        com.fasterxml.jackson.databind.JsonNode m2 = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(two.resolve("metrics.json").toFile());
        double acc1 = m1.get("final_test_accuracy").asDouble();
        assertTrue(acc1 > 0.3, "learns something: " + acc1);
        assertEquals(acc1, m2.get("final_test_accuracy").asDouble(), 1.0 / 128 + 1e-9);
    }
}
