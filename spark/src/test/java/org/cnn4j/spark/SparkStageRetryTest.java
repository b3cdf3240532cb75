package org.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.cnn4j.cli.TrainWorker;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's barrier stage retry: on {@code local[2,3]} (two task slots, a task may fail up to 3 times) a rank lost in
 * the first attempt makes Spark run the whole stage again, and {@link SparkTrain}'s ranks resume from the last
 * checkpoint and end with the weights of a run that was never interrupted, bit for bit.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SparkStageRetryTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SparkDataParallelTest.localSpark("local[2,3]");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static final List<String> OPTIONS = List.of("--model", "lenet5", "--limit-train", "256", "--limit-test",
            "64", "--batch-size", "64", "--epochs", "2", "--optimizer", "sgd", "--lr", "0.05", "--schedule", "none",
            "--backend", "cpu", "--seed", "3", "--no-tensorboard", "--workers", "1", "--collective-timeout", "60");

    private static List<String> with(String... more) {
        List<String> all = new ArrayList<>(OPTIONS);
        all.addAll(List.of(more));
        return all;
    }

    /** Stage attempt and task attempt of the task that finished each rank. */
    record Attempt(int stage, int task) implements java.io.Serializable {
    }

    /**
     * In the first attempt rank 1 trains epoch 1 (so rank 0 writes the epoch-1 checkpoint) and is then lost; rank 0,
     * already in epoch 2, fails naming it. Spark retries the stage; both ranks resume from last.safetensors and
     * finish. Every tensor of the final checkpoint and every step loss equal those of an uninterrupted 2-rank run.
     */
    @Test
    void aRankLostInTheFirstAttemptMakesTheStageResumeFromTheLastCheckpoint(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        Path retried = tmp.resolve("retried");
        assertEquals(List.of(0, 0), SparkTrain.train(sc, 2, Duration.ofSeconds(60), with("--out",
                straight.toString())));
        ArrayList<String> options = new ArrayList<>(with("--out", retried.toString()));
        List<Attempt> attempts = SparkDataParallel.runJoiningThemselves(sc, 2, Duration.ofSeconds(60), ring -> {
            TaskContext ctx = TaskContext.get();
            Attempt attempt = new Attempt(ctx.stageAttemptNumber(), ctx.attemptNumber());
            if (attempt.stage() == 0 && attempt.task() == 0 && ring.rank() == 1) {
                List<String> firstEpochOnly = new ArrayList<>(options);
                firstEpochOnly.addAll(List.of("--stop-after", "1"));
                TrainWorker.train(ring, firstEpochOnly);
                throw new IllegalStateException("rank 1 lost after epoch 1 (injected in the first attempt)");
            }
            SparkTrain.trainRank(ring, options);
            return attempt;
        });
        for (int r = 0; r < 2; r++) {
            Attempt a = attempts.get(r);
            assertTrue(a.stage() > 0 || a.task() > 0, "rank " + r + " finished in the first attempt: " + a);
        }
        assertEquals(stepLosses(straight), stepLosses(retried));
        assertEquals(8, stepLosses(retried).size(), "2 epochs of 4 steps");
        CpuBackend cpu = new CpuBackend();
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> want = Safetensors.load(straight.resolve("last.safetensors"), cpu);
            Map<String, Tensor> got = Safetensors.load(retried.resolve("last.safetensors"), cpu);
            assertEquals(want.keySet(), got.keySet());
            for (String k : want.keySet()) {
                assertArrayEquals(want.get(k).toFloatArray(), got.get(k).toFloatArray(), k);
            }
        }
    }

    private static List<String> stepLosses(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("steps.csv"));
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            out.add(line.substring(line.lastIndexOf(',') + 1));
        }
        return out;
    }
}
