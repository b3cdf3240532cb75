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
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnn train --model textcnn --dataset sequence} on a generated task whose label depends only on a short
 * motif anywhere in the sequence: class 1 holds the tokens 5 9 2 in this order, class 0 holds the same three tokens
 * scrambled (so counting tokens cannot tell the classes apart), in random filler of varying length (so batches
 * are padded and the padding must not matter).
 */
class SequenceTrainTest {
    private static final int[] MOTIF = {5, 9, 2};
    private static final int[][] DECOYS = {{9, 5, 2}, {2, 9, 5}, {5, 2, 9}};

    @TempDir
    Path tmp;

    @Test
    void textCnnLearnsAMotifAnywhereInTheSequence() throws IOException {
        Random random = new Random(11);
        Path data = tmp.resolve("motif");
        Files.createDirectories(data);
        Files.write(data.resolve("train.csv"), motifTask(400, random));
        Files.write(data.resolve("test.csv"), motifTask(200, random));
        Path out = tmp.resolve("run");
        String log = train("--model", "textcnn", "--data", data.toString(), "--epochs", "2", "--batch-size", "32",
                "--lr", "0.003", "--seed", "3", "--out", out.toString());
        assertTrue(log.contains("token ids below 21"), log);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double accuracy = m.get("final_test_accuracy").asDouble();
        // chance is 50%, and a bag-of-tokens model cannot beat it: only the order of 5, 9, 2 tells the classes apart
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + "\n" + log);
    }

    /** The waveform path end to end (float samples, m5, padding of unequal lengths); a smoke test, no accuracy bar. */
    @Test
    void m5TrainsOnFloatSamples() throws IOException {
        Random random = new Random(5);
        Path data = tmp.resolve("tones");
        Files.createDirectories(data);
        Files.write(data.resolve("train.csv"), tones(16, random));
        Files.write(data.resolve("test.csv"), tones(8, random));
        Path out = tmp.resolve("m5");
        String log = train("--model", "m5", "--data", data.toString(), "--epochs", "1", "--batch-size", "4", "--out",
                out.toString());
        assertTrue(log.contains("sequences of float samples") && log.contains("padded to 2100"), log);
        assertTrue(Files.size(out.resolve("best.safetensors")) > 0);
    }

    /** Runs {@code cnn train --dataset sequence --backend cpu ARGS}, expects exit 0, returns what it printed. */
    private static String train(String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"train", "--dataset", "sequence", "--backend", "cpu"}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cnn.run(all);
        } finally {
            System.setOut(old);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        return log;
    }

    /** Sine tones, 2000 to 2100 samples long: class 0 at 1/50 cycles per sample, class 1 at 1/10. */
    private static List<String> tones(int n, Random random) {
        List<String> lines = new ArrayList<>();
        lines.add("label,samples");
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double freq = label == 0 ? 0.02 : 0.1, phase = random.nextDouble() * 2 * Math.PI;
            StringBuilder sb = new StringBuilder().append(label).append(',');
            int length = 2000 + (i == 0 ? 100 : random.nextInt(100));
            for (int j = 0; j < length; j++) {
                sb.append(j == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.4f",
                        Math.sin(2 * Math.PI * freq * j + phase)));
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** Header, then n lines "label,tokens" of length 8..30 over ids 1..20, half of each class. */
    static List<String> motifTask(int n, Random random) {
        List<String> lines = new ArrayList<>();
        lines.add("label,tokens");
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            int[] seq = filler(8 + random.nextInt(23), random);
            int[] planted = label == 1 ? MOTIF : DECOYS[random.nextInt(DECOYS.length)];
            int at = random.nextInt(seq.length - planted.length + 1);
            System.arraycopy(planted, 0, seq, at, planted.length);
            StringBuilder sb = new StringBuilder().append(label).append(',');
            for (int j = 0; j < seq.length; j++) {
                sb.append(j == 0 ? "" : " ").append(seq[j]);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** Random ids 1..20 without 5, 9 or 2, so the only occurrence of the motif's tokens is the planted one. */
    private static int[] filler(int length, Random random) {
        int[] seq = new int[length];
        for (int j = 0; j < length; j++) {
            int t;
            do {
                t = 1 + random.nextInt(20);
            } while (t == 5 || t == 9 || t == 2);
            seq[j] = t;
        }
        return seq;
    }
}
