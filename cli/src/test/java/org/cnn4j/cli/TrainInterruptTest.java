package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (here SIGTERM, which runs the same shutdown hooks as SIGINT) in the middle of {@code cnn train}, in a
 * child JVM: one line says where the run was and how to continue it, and steps.csv holds every step so far.
 */
class TrainInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void interruptingARunSaysWhereItWasAndHowToContinue() throws Exception {
        Path out = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", classpath,
                "org.cnn4j.cli.Cnn", "train", "--backend", "cpu", "--limit-train", "640", "--limit-test", "32",
                "--batch-size", "10", "--epochs", "2", "--out", out.toString())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            // the first progress line of epoch 2 comes after epoch 1's checkpoint was written
            while ((line = stdout.readLine()) != null && !line.startsWith("epoch 2/2  step")) {
                // keep reading
            }
            assertTrue(line != null, "the run ended before epoch 2 showed progress");
            p.destroy();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM exits after the interrupt");
        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("cnn train: interrupted in epoch 2 of 2 at step (\\d+) of 64; (\\S+) holds epoch 1:"
                + " continue with cnn train --resume (\\S+)").matcher(err);
        assertTrue(m.find(), err);
        assertEquals(out.resolve("last.safetensors").toString(), m.group(3));
        int step = Integer.parseInt(m.group(1));
        List<String> steps = Files.readAllLines(out.resolve("steps.csv"), StandardCharsets.UTF_8);
        assertTrue(steps.size() >= 1 + 64 + step, "every step so far is on disk: " + steps.size() + " lines at"
                + " step " + step + " of epoch 2");
        assertEquals("epoch,step,loss", steps.get(0));
    }
}
