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
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of {@code cnn train} on a small slice of the embedded Fashion-MNIST subset. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private static final String[] SMALL = {"--limit-train", "256", "--limit-test", "128", "--batch-size", "32",
        "--backend", "cpu", "--seed", "7"};

    private static String[] args(String[] base, String... more) {
        String[] all = new String[1 + base.length + more.length];
        all[0] = "train";
        System.arraycopy(base, 0, all, 1, base.length);
        System.arraycopy(more, 0, all, 1 + base.length, more.length);
        return all;
    }

    private int run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return Cnn.run(args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void trainsAndWritesAllOutputs() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, run(args(SMALL, "--epochs", "1", "--out", out.toString())));
        for (String f : new String[] {"metrics.json", "metrics.csv", "curves.png", "last.safetensors",
            "best.safetensors"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        for (String key : new String[] {"model", "dataset", "backend", "params", "seed", "epochs",
            "final_test_accuracy"}) {
            assertTrue(m.has(key), key);
        }
        JsonNode e = m.get("epochs").get(0);
        for (String key : new String[] {"epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy",
            "seconds", "images_per_second"}) {
            assertTrue(e.has(key), key);
        }
        assertEquals("fmnist_cnn", m.get("model").asText());
        assertTrue(m.get("final_test_accuracy").asDouble() > 0.3, "learns something in one small epoch");
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void resumingGivesTheSameWeightsAsAnUninterruptedRun() throws IOException {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        String[] withDropoutAndSchedule = {"--model", "fmnist_cnn", "--schedule", "cosine", "--optimizer", "adamw"};
        assertEquals(0, run(args(SMALL, concat(withDropoutAndSchedule, "--epochs", "2", "--out",
                straight.toString()))));
        assertEquals(0, run(args(SMALL, concat(withDropoutAndSchedule, "--epochs", "2", "--stop-after", "1", "--out",
                split.toString()))));
        Path resumed = tmp.resolve("resumed");
        assertEquals(0, run("train", "--resume", split.resolve("last.safetensors").toString(),
                "--backend", "cpu", "--out", resumed.toString()));
        CpuBackend cpu = new CpuBackend();
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> a = Safetensors.load(straight.resolve("last.safetensors"), cpu);
            Map<String, Tensor> b = Safetensors.load(resumed.resolve("last.safetensors"), cpu);
            assertEquals(a.keySet(), b.keySet());
            assertFalse(a.isEmpty());
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
            }
        }
        JsonNode m1 = new ObjectMapper().readTree(straight.resolve("metrics.json").toFile());
        JsonNode m2 = new ObjectMapper().readTree(resumed.resolve("metrics.json").toFile());
        assertEquals(m1.get("epochs").get(1).get("train_loss").asDouble(),
                m2.get("epochs").get(1).get("train_loss").asDouble(), 0.0);
    }

    @Test
    void unwritableOutIsAOneLineFailure() throws IOException {
        Path file = tmp.resolve("not-a-dir");
        Files.writeString(file, "x");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run(args(SMALL, "--epochs", "1", "--out", file.resolve("sub").toString()));
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("cnn train: cannot create output folder"), text);
        assertFalse(text.contains("\tat "), "no stack trace without --verbose: " + text);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("train", "--epochs", "not-a-number"));
        assertEquals(2, run("train", "--no-such-option"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
