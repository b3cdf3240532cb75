package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn train} on broken data: one clear line naming the file, exit code 1, no checkpoint left behind. */
class TrainBadInputTest {
    private static final String SUBSET = "/org/cnn4j/data/fashion-mnist-subset/";
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @TempDir
    Path tmp;

    /** A copy of the embedded subset's four files, to break one of them. */
    private Path dataDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        for (String f : FILES) {
            try (InputStream in = TrainBadInputTest.class.getResourceAsStream(SUBSET + f)) {
                if (in == null) {
                    throw new IllegalStateException("embedded subset file missing: " + f);
                }
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    private String failWith(Path data) {
        Path out = tmp.resolve("out");
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cnn.run("train", "--data", data.toString(), "--epochs", "1", "--backend", "cpu", "--out",
                    out.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertFalse(text.contains("\tat "), "no stack trace without --verbose: " + text);
        assertFalse(Files.exists(out.resolve("last.safetensors")), "no checkpoint from a failed run");
        return text;
    }

    @Test
    void truncatedGzip() throws IOException {
        Path dir = dataDir();
        Path f = dir.resolve(FILES[0]);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        String err = failWith(dir);
        assertTrue(err.contains(FILES[0]), err);
        assertTrue(err.toLowerCase().contains("truncated") || err.toLowerCase().contains("corrupt"), err);
    }

    @Test
    void corruptGzip() throws IOException {
        Path dir = dataDir();
        Path f = dir.resolve(FILES[2]);
        byte[] bytes = Files.readAllBytes(f);
        for (int i = 20; i < 200; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(f, bytes);
        String err = failWith(dir);
        assertTrue(err.contains(FILES[2]), err);
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path dir = dataDir();
        Path f = dir.resolve(FILES[1]);
        Files.delete(f);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0});
        String err = failWith(dir);
        assertTrue(err.contains("train-labels-idx1-ubyte"), err);
        assertTrue(err.contains("magic"), err);
    }

    @Test
    void imageAndLabelCountsDisagree() throws IOException {
        Path dir = dataDir();
        Files.delete(dir.resolve(FILES[3]));
        byte[] labels = new byte[8 + 5];
        labels[2] = 8;
        labels[3] = 1;
        labels[7] = 5;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        String err = failWith(dir);
        assertTrue(err.contains("t10k"), err);
        assertTrue(err.contains("2000") && err.contains("5"), err);
    }

    @Test
    void unreadableImageInAFolder() throws IOException {
        Path root = tmp.resolve("folder");
        for (String split : new String[] {"train", "test"}) {
            for (String cls : new String[] {"a", "b"}) {
                Path d = Files.createDirectories(root.resolve(split).resolve(cls));
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                javax.imageio.ImageIO.write(img, "png", d.resolve("ok.png").toFile());
            }
        }
        Files.writeString(root.resolve("train/b/broken.png"), "not a png");
        Path out = tmp.resolve("out");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cnn.run("train", "--dataset", "folder", "--data", root.toString(), "--model", "lenet5",
                    "--image-size", "28", "--epochs", "1", "--backend", "cpu", "--out", out.toString());
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.contains("broken.png"), text);
        assertFalse(Files.exists(out.resolve("last.safetensors")));
    }
}
