package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnn train --nproc 2} with real worker processes: the equivalence check (lenet5, 20 steps of a
 * global batch of 64: the losses of {@code --nproc 1} within 1e-5 relative), and usage errors.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrainNprocTest {
    @TempDir
    Path tmp;

    private static final String[] RUN = {"train", "--model", "lenet5", "--limit-train", "1280", "--limit-test", "64",
        "--batch-size", "64", "--epochs", "1", "--optimizer", "sgd", "--lr", "0.05", "--schedule", "none",
        "--backend", "cpu", "--seed", "3", "--no-tensorboard", "--workers", "1"};

    private static int run(ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Cnn.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String[] with(String... more) {
        List<String> all = new ArrayList<>(List.of(RUN));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static List<Double> losses(Path run) throws IOException {
        List<Double> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(run.resolve("steps.csv"));
        for (String line : lines.subList(1, lines.size())) {
            out.add(Double.parseDouble(line.substring(line.lastIndexOf(',') + 1)));
        }
        return out;
    }

    @Test
    void twoProcessesGiveTheLossesOfOne() throws IOException {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err, with("--out", one.toString())), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(err, with("--nproc", "2", "--out", two.toString())), err.toString(StandardCharsets.UTF_8));
        List<Double> single = losses(one);
        List<Double> parallel = losses(two);
        assertEquals(20, single.size());
        assertEquals(20, parallel.size());
        assertTrue(single.get(0) > 1.5 && single.get(0) < 3.5, "first loss " + single.get(0) + " (ln 10 = 2.30)");
        for (int s = 0; s < 20; s++) {
            assertEquals(single.get(s), parallel.get(s), 1e-5 * single.get(s), "step " + (s + 1));
        }
        assertTrue(Files.exists(two.resolve("last.safetensors")));
    }

    /**
     * --sync-bn with real processes: resnet20 (19 BatchNorm2d layers; no dropout, whose masks would differ between
     * one process and two) for 3 steps of a global batch of 64: two processes give the single process's losses
     * within 1e-5 relative, and without --sync-bn (each worker normalising its own 32) they do not. Only 3 steps:
     * this network amplifies float rounding about tenfold per step (the single process itself, with the learning
     * rate changed by 1e-7 relative, drifts 4e-6 by step 4 and 1e-4 by step 8), so over 20 steps no summation order
     * other than the single process's own stays within 1e-5; SyncBatchNormContract checks 20 steps in-process on a
     * small conv + BatchNorm net.
     */
    @Test
    void twoProcessesWithSyncBatchNormGiveTheLossesOfOne() throws IOException {
        String[] bn = RUN.clone();
        bn[2] = "resnet20";
        bn[4] = "192";
        bn[14] = "0.01";
        Path one = tmp.resolve("one");
        Path synced = tmp.resolve("synced");
        Path local = tmp.resolve("local");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err, concat(bn, "--out", one.toString())), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(err, concat(bn, "--nproc", "2", "--sync-bn", "--out", synced.toString())),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(err, concat(bn, "--nproc", "2", "--out", local.toString())),
                err.toString(StandardCharsets.UTF_8));
        List<Double> single = losses(one);
        List<Double> parallel = losses(synced);
        List<Double> unsynced = losses(local);
        assertEquals(3, single.size());
        assertEquals(3, parallel.size());
        double worstLocal = 0;
        for (int s = 0; s < 3; s++) {
            assertEquals(single.get(s), parallel.get(s), 1e-5 * single.get(s), "step " + (s + 1));
            worstLocal = Math.max(worstLocal, Math.abs(unsynced.get(s) - single.get(s)) / single.get(s));
        }
        assertTrue(worstLocal > 1e-4, "local BatchNorm statistics gave the same losses (" + worstLocal + ")");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    @Test
    void aGlobalBatchThatTheProcessesCannotShareIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "train", "--nproc", "3", "--batch-size", "64", "--backend", "cpu"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("multiple of --nproc 3"),
                err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Two ranks stopped after epoch 1 and resumed (every rank loads last.safetensors) give the step losses and the
     * final weights of an uninterrupted two-rank run, bit for bit.
     */
    @Test
    void aResumedTwoProcessRunContinuesExactly() throws IOException {
        String[] small = {"train", "--model", "lenet5", "--limit-train", "256", "--limit-test", "64", "--batch-size",
            "64", "--epochs", "2", "--optimizer", "sgd", "--lr", "0.05", "--schedule", "none", "--backend", "cpu",
            "--seed", "3", "--no-tensorboard", "--workers", "1", "--nproc", "2"};
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> a = new ArrayList<>(List.of(small));
        a.addAll(List.of("--out", straight.toString()));
        assertEquals(0, run(err, a.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        List<String> b = new ArrayList<>(List.of(small));
        b.addAll(List.of("--out", split.toString(), "--stop-after", "1"));
        assertEquals(0, run(err, b.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        assertEquals(1 + 4, Files.readAllLines(split.resolve("steps.csv")).size(), "stopped after epoch 1");
        assertEquals(0, run(err, "train", "--nproc", "2", "--resume", split.resolve("last.safetensors").toString(),
                "--workers", "1", "--no-tensorboard"), err.toString(StandardCharsets.UTF_8));
        assertEquals(losses(straight), losses(split));
        assertEquals(8, losses(split).size());
        org.cnn4j.backend.Backend cpu = new org.cnn4j.cpu.CpuBackend();
        try (org.cnn4j.tensor.MemoryScope scope = org.cnn4j.tensor.MemoryScope.open()) {
            java.util.Map<String, org.cnn4j.tensor.Tensor> x = org.cnn4j.io.Safetensors.load(
                    straight.resolve("last.safetensors"), cpu);
            java.util.Map<String, org.cnn4j.tensor.Tensor> y = org.cnn4j.io.Safetensors.load(
                    split.resolve("last.safetensors"), cpu);
            assertEquals(x.keySet(), y.keySet());
            for (String k : x.keySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(x.get(k).toFloatArray(), y.get(k).toFloatArray(), k);
            }
        }
    }
}
