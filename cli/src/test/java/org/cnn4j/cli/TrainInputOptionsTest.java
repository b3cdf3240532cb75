package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn train} on an image folder with the input-pipeline and TensorBoard options. */
class TrainInputOptionsTest {
    @TempDir
    Path tmp;

    /** Two classes of 10 noisy 12x12 RGB images (reddish and bluish), plus one file that is not an image. */
    private Path folder() throws IOException {
        Random random = new Random(5);
        for (String cls : List.of("blue", "red")) {
            for (int i = 0; i < 10; i++) {
                BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        int strong = 150 + random.nextInt(100);
                        int weak = random.nextInt(100);
                        img.setRGB(x, y, cls.equals("red") ? strong << 16 | weak : weak << 16 | strong);
                    }
                }
                Path file = tmp.resolve("data/" + cls + "/" + i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(img, "png", file.toFile());
            }
        }
        Files.writeString(tmp.resolve("data/red/broken.png"), "not a png");
        return tmp.resolve("data");
    }

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Cnn.run(args);
            return code + "\n" + captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    private static List<Path> events(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
    }

    @Test
    void validationSplitSkippedImagesWorkersAugmentationsAndTensorBoard() throws IOException {
        Path data = folder();
        Path out = tmp.resolve("run");
        String text = run("train", "--model", "resnet20", "--dataset", "folder", "--data", data.toString(),
                "--image-size", "8", "--val-split", "0.2", "--skip-bad-images", "--workers", "2", "--augment",
                "--trivial-augment", "--color-jitter", "0.2,0.2,0.2,0.05", "--random-erasing", "0.25",
                "--histograms", "--epochs", "1", "--batch-size", "4", "--backend", "cpu", "--out", out.toString());
        assertTrue(text.startsWith("0\n"), text);
        assertTrue(text.contains("skipped " + data.resolve("red/broken.png") + ": "), text);
        assertTrue(text.contains("16 train, 4 held out for validation, 2 classes"), text);
        List<Path> events = events(out);
        assertEquals(1, events.size(), events.toString());
        assertTrue(Files.size(events.get(0)) > 1000, "scalars, a confusion matrix and histograms");
    }

    @Test
    void mixupAndCutmixTrainOnMixedTargets() throws IOException {
        Path data = folder();
        data.resolve("red/broken.png").toFile().delete();
        String[] common = {"train", "--model", "resnet20", "--dataset", "folder", "--data", data.toString(),
                "--image-size", "8", "--val-split", "0.2", "--epochs", "1", "--batch-size", "4", "--backend", "cpu",
                "--seed", "3", "--no-tensorboard", "--out"};
        List<String> plain = stepLosses(common, tmp.resolve("plain"));
        List<String> mixed = stepLosses(common, tmp.resolve("mixed"), "--mixup", "0.4", "--cutmix", "1.0");
        assertEquals(plain.size(), mixed.size());
        // the same seed gives the same images, so only the batch transform can change the first step's loss
        assertNotEquals(plain.get(0), mixed.get(0), "mixed targets change the loss");
    }

    private List<String> stepLosses(String[] common, Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(common));
        args.add(out.toString());
        args.addAll(List.of(extra));
        String text = run(args.toArray(new String[0]));
        assertTrue(text.startsWith("0\n"), text);
        List<String> lines = Files.readAllLines(out.resolve("steps.csv"));
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(l.lastIndexOf(',') + 1)).toList();
    }

    @Test
    void badImageStopsTheRunBeforeTrainingWithoutSkipAndNoTensorBoardWritesNoEvents() throws IOException {
        Path data = folder();
        Path out = tmp.resolve("run");
        String text = run("train", "--model", "resnet20", "--dataset", "folder", "--data", data.toString(),
                "--image-size", "8", "--val-split", "0.2", "--epochs", "1", "--backend", "cpu", "--out",
                out.toString(), "--no-tensorboard");
        assertTrue(text.startsWith("1\n"), text);
        String err = text.substring(2);
        assertTrue(err.isEmpty() || !err.contains("epoch 1/"), "stopped before training: " + text);
        data.resolve("red/broken.png").toFile().delete();
        text = run("train", "--model", "resnet20", "--dataset", "folder", "--data", data.toString(),
                "--image-size", "8", "--val-split", "0.2", "--epochs", "1", "--backend", "cpu", "--out",
                out.toString(), "--no-tensorboard");
        assertTrue(text.startsWith("0\n"), text);
        assertTrue(events(out).isEmpty());
    }
}
