package org.cnn4j.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/** Runs {@code cnn} in-process with stdout and stderr captured; makes small datasets on disk. */
record CliRun(int code, String out, String err) {
    /** The embedded Fashion-MNIST subset, cut small, on the CPU. */
    static final String[] SMALL = {"--limit-train", "128", "--limit-test", "64", "--batch-size", "32", "--backend",
        "cpu", "--seed", "7"};

    static CliRun run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Cnn.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** {@code train} with {@link #SMALL} and {@code more}; an option in {@code more} replaces SMALL's. */
    static CliRun train(String... more) {
        List<String> all = new ArrayList<>(List.of("train"));
        List<String> given = List.of(more);
        for (int i = 0; i < SMALL.length; i += 2) {
            if (!given.contains(SMALL[i])) {
                all.add(SMALL[i]);
                all.add(SMALL[i + 1]);
            }
        }
        all.addAll(given);
        return run(all.toArray(new String[0]));
    }

    /** DIR/train and DIR/test with {@code classes} classes of {@code perClass} RGB PNGs each, size x size. */
    static Path imageFolder(Path dir, int classes, int perClass, int size) throws IOException {
        Random r = new Random(3);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < classes; c++) {
                Path d = Files.createDirectories(dir.resolve(split).resolve("class" + c));
                for (int i = 0; i < perClass; i++) {
                    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            int v = r.nextInt(64) + (x < size / 2 == (c % 2 == 0) ? 150 : 0);
                            img.setRGB(x, y, v << 16 | v << 8 | v);
                        }
                    }
                    ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
                }
            }
        }
        return dir;
    }

    /** A cifar-10-batches-bin folder of random images: five training batches of {@code perBatch}, one test. */
    static Path cifar(Path dir, int perBatch) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(4);
        for (int i = 0; i <= 5; i++) {
            byte[] bytes = new byte[perBatch * 3073];
            r.nextBytes(bytes);
            for (int k = 0; k < perBatch; k++) {
                bytes[k * 3073] = (byte) (k % 10);
            }
            Files.write(dir.resolve(i == 0 ? "test_batch.bin" : "data_batch_" + i + ".bin"), bytes);
        }
        return dir;
    }
}
