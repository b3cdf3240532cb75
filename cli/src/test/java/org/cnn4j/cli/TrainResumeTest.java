package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnn train --resume}: a run stopped after one epoch and resumed must end with the same bits (weights,
 * optimizer state, losses) as the same run done in one go, for each optimizer's state and for schedules that
 * depend on the global step; a file that is not a usable checkpoint is a one-line error with exit code 1.
 */
class TrainResumeTest {
    @TempDir
    Path tmp;

    private static final List<String> SMALL = List.of("train", "--limit-train", "192", "--limit-test", "64",
            "--batch-size", "32", "--backend", "cpu", "--seed", "3", "--epochs", "2");

    /** Output of one run: exit code and what it printed to standard error. */
    private record Result(int code, String err) {
    }

    private static Result run(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Cnn.run(args.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** Trains 2 epochs in one go and as 1 + resume; every tensor of the last checkpoints must match bit for bit. */
    private void resumesExactly(String... options) throws IOException {
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split"), resumed = tmp.resolve("resumed");
        List<String> base = with(SMALL, options);
        assertEquals(0, run(with(base, "--out", straight.toString())).code());
        assertEquals(0, run(with(base, "--stop-after", "1", "--out", split.toString())).code());
        assertEquals(0, run(List.of("train", "--resume", split.resolve("last.safetensors").toString(),
                "--backend", "cpu", "--out", resumed.toString())).code());
        CpuBackend cpu = new CpuBackend();
        String what = String.join(" ", options);
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> a = Safetensors.load(straight.resolve("last.safetensors"), cpu);
            Map<String, Tensor> b = Safetensors.load(resumed.resolve("last.safetensors"), cpu);
            assertEquals(a.keySet(), b.keySet(), what);
            assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith(Checkpoint.OPTIMIZER_PREFIX)),
                    what + ": the checkpoint holds optimizer state");
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), what + " " + k);
            }
        }
        Map<String, String> metaA = Safetensors.readHeader(straight.resolve("last.safetensors")).metadata();
        Map<String, String> metaB = Safetensors.readHeader(resumed.resolve("last.safetensors")).metadata();
        for (String k : metaA.keySet()) {
            if (k.startsWith(Checkpoint.OPTIMIZER_PREFIX)) {
                assertEquals(metaA.get(k), metaB.get(k), what + " " + k);
            }
        }
        // the step losses of the second epoch (steps.csv: epoch,step,loss), compared as printed (8 digits)
        assertEquals(secondEpoch(straight), secondEpoch(resumed), what + ": losses of epoch 2");
    }

    private static List<String> secondEpoch(Path run) throws IOException {
        return Files.readAllLines(run.resolve("steps.csv")).stream().filter(l -> l.startsWith("2,")).toList();
    }

    @Test
    void sgdWithMomentumAndStepSchedule() throws IOException {
        resumesExactly("--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--schedule", "step");
    }

    @Test
    void plainAdamWithOneCycleSchedule() throws IOException {
        resumesExactly("--optimizer", "adam", "--lr", "0.003", "--schedule", "onecycle");
    }

    private Path checkpoint() throws IOException {
        Path run = tmp.resolve("one");
        assertEquals(0, run(with(SMALL, "--stop-after", "1", "--out", run.toString())).code());
        return run.resolve("last.safetensors");
    }

    private void failsCleanly(Path resume, String expected) {
        Result r = run(List.of("train", "--resume", resume.toString(), "--backend", "cpu", "--out",
                tmp.resolve("out").toString()));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("cnn train: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void plainWeightsFileIsRejected() throws IOException {
        Path weights = tmp.resolve("weights.safetensors");
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> all = Safetensors.load(checkpoint(), new CpuBackend());
            Safetensors.save(weights, Checkpoint.weightsOnly(all), Map.of());
        }
        failsCleanly(weights, "a plain weights file cannot be resumed");
    }

    @Test
    void truncatedCheckpointIsRejected() throws IOException {
        Path file = checkpoint();
        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        failsCleanly(cut, cut.toString());
    }

    @Test
    void garbledCheckpointHeaderIsRejected() throws IOException {
        Path file = checkpoint();
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 8; i < 40; i++) {
            bytes[i] = (byte) '#'; // the JSON header's opening
        }
        Path bad = tmp.resolve("bad.safetensors");
        Files.write(bad, bytes);
        failsCleanly(bad, bad.toString());
    }

    @Test
    void missingCheckpointIsRejected() {
        failsCleanly(tmp.resolve("nope.safetensors"), "no such file");
    }
}
