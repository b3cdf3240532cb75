package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    @TempDir
    Path dir;

    @Test
    void preprocessingResizesCropsAndNormalises() {
        int h = 300, w = 400;
        float[] chw = new float[3 * h * w];
        java.util.Arrays.fill(chw, 0, h * w, 255f);          // red 255
        java.util.Arrays.fill(chw, h * w, 2 * h * w, 0f);     // green 0
        java.util.Arrays.fill(chw, 2 * h * w, 3 * h * w, 51f); // blue 0.2
        float[] x = PredictPreprocessing.preprocess(chw, h, w);
        assertEquals(3 * 224 * 224, x.length);
        assertEquals((1 - 0.485f) / 0.229f, x[0], 1e-5);
        assertEquals((0 - 0.456f) / 0.224f, x[224 * 224 + 1000], 1e-5);
        assertEquals((0.2f - 0.406f) / 0.225f, x[3 * 224 * 224 - 1], 1e-5);
    }

    @Test
    void grayImagesKeepTheirLevel() throws Exception {
        BufferedImage gray = new BufferedImage(300, 260, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 260; y++) {
            for (int x = 0; x < 300; x++) {
                gray.getRaster().setSample(x, y, 0, 100);
            }
        }
        Path file = dir.resolve("gray.png");
        ImageIO.write(gray, "png", file.toFile());
        float[] x = PredictPreprocessing.imagenet(file);
        // gray 100 is R = G = B = 100, not the 168 of a linear-to-sRGB conversion
        assertEquals((100 / 255f - 0.485f) / 0.229f, x[0], 1e-5);
        assertEquals((100 / 255f - 0.406f) / 0.225f, x[3 * 224 * 224 - 1], 1e-5);
    }

    @Test
    void softmaxAndTopK() {
        double[] p = PredictPreprocessing.softmax(new float[] {1f, 3f, 2f, 3f});
        assertEquals(1.0, p[0] + p[1] + p[2] + p[3], 1e-12);
        assertArrayEquals(new int[] {1, 3, 2}, PredictPreprocessing.topK(p, 3));
    }

    @Test
    void printsTopClassesWithLabels() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        try (Backends.Use use = Backends.use(Backends.get("cpu")); MemoryScope scope = MemoryScope.open();
             Module m = ModelRegistry.create("resnet18", ModelOptions.numClasses(4))) {
            Safetensors.save(weights, m.stateDict(), Map.of());
        }
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, (x % 256) << 16 | (y % 256) << 8 | 90);
            }
        }
        Path image = dir.resolve("img.png");
        ImageIO.write(img, "png", image.toFile());
        Path labels = dir.resolve("labels.txt");
        Files.write(labels, List.of("cat", "dog", "fish", "bird"));
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new PredictCommand(), "--model", "resnet18",
                "--num-classes", "4", "--weights", weights.toString(), "--image", image.toString(), "--top", "3",
                "--labels", labels.toString(), "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        List<Double> probs = new ArrayList<>();
        for (String line : lines) {
            assertTrue(line.matches(" ?\\d\\. (cat|dog|fish|bird) \\(\\d\\) +0\\.\\d{4}"), line);
            probs.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
        assertTrue(probs.get(0) >= probs.get(1) && probs.get(1) >= probs.get(2), r.out());

        Files.write(labels, List.of("cat", "dog"));
        ModelCommandsTestSupport.Result bad = ModelCommandsTestSupport.run(new PredictCommand(), "--model",
                "resnet18", "--num-classes", "4", "--weights", weights.toString(), "--image", image.toString(),
                "--labels", labels.toString(), "--backend", "cpu");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("has 2 lines but the model has 4 classes"), bad.err());
    }
}
