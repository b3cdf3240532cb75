package org.cnn4j.cli;

import static org.cnn4j.cli.CliRun.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn train}'s output folder: protected, resumable in place, steps.csv kept whole. */
class TrainRunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunIntoTheSameFolderIsRefusedUnlessOverwriting() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, train("--epochs", "1", "--out", out.toString()).code());
        byte[] first = Files.readAllBytes(out.resolve("best.safetensors"));
        CliRun again = train("--epochs", "1", "--seed", "8", "--out", out.toString());
        assertEquals(1, again.code(), again.err());
        assertTrue(again.err().startsWith("cnn train: output folder " + out + " already holds"), again.err());
        assertTrue(again.err().contains("--resume " + out.resolve("last.safetensors")), again.err());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(out.resolve("best.safetensors"))),
                "the first run's best checkpoint is untouched");
        CliRun overwrite = train("--epochs", "1", "--seed", "8", "--out", out.toString(), "--overwrite");
        assertEquals(0, overwrite.code(), overwrite.err());
        assertEquals(1 + 4, lines(out.resolve("steps.csv")).size(), "one run's steps only");
    }

    @Test
    void resumeContinuesInTheCheckpointsFolderWithTheWholeStepLog() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, train("--epochs", "3", "--stop-after", "1", "--out", out.toString()).code());
        assertEquals(1 + 4, lines(out.resolve("steps.csv")).size(), "streamed by the first invocation");
        CliRun resumed = CliRun.run("train", "--resume", out.resolve("last.safetensors").toString(), "--backend",
                "cpu", "--stop-after", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(0, CliRun.run("train", "--resume", out.resolve("last.safetensors").toString(), "--backend",
                "cpu").code());
        List<String> steps = lines(out.resolve("steps.csv"));
        assertEquals("epoch,step,loss", steps.get(0));
        assertEquals(1 + 3 * 4, steps.size(), "a header, then every step of epochs 1, 2 and 3: " + steps);
        assertTrue(steps.get(1).startsWith("1,1,") && steps.get(5).startsWith("2,1,") && steps.get(9).startsWith(
                "3,1,"), steps.toString());
        assertEquals(1 + 3, lines(out.resolve("metrics.csv")).size());
    }

    @Test
    void changedSettingsOnResumeAreAUsageErrorThatSaysWhy() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, train("--epochs", "2", "--stop-after", "1", "--out", out.toString()).code());
        String last = out.resolve("last.safetensors").toString();
        CliRun r = CliRun.run("train", "--resume", last, "--backend", "cpu", "--lr", "0.1", "--batch-size", "16");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("lr 0.1 instead of 0.003"), r.err());
        assertTrue(r.err().contains("batch_size 16 instead of 32"), r.err());
        assertTrue(r.err().contains("--weights " + last), r.err());
        CliRun same = CliRun.run("train", "--resume", last, "--backend", "cpu", "--lr", "0.003", "--epochs", "3");
        assertEquals(0, same.code(), "the same value is no change, more epochs are allowed: " + same.err());
        assertEquals(1 + 3, lines(out.resolve("metrics.csv")).size());
    }

    @Test
    void resumeRemembersEarlyStopping() throws IOException {
        Path out = tmp.resolve("run");
        // at this learning rate nothing changes, so no epoch after the first is better
        assertEquals(0, train("--epochs", "6", "--lr", "1e-12", "--schedule", "none", "--early-stopping", "1",
                "--stop-after", "1", "--out", out.toString()).code());
        CliRun r = CliRun.run("train", "--resume", out.resolve("last.safetensors").toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("early stopping: no better test_accuracy for 1 epochs"), r.out());
        assertEquals(1 + 2, lines(out.resolve("metrics.csv")).size(), "stopped after epoch 2, not 6");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
