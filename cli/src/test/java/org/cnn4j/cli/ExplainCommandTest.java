package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn explain} end to end on fmnist_cnn (random weights): files, shapes, and usage errors. */
class ExplainCommandTest {
    @TempDir
    Path dir;
    private Path weights;
    private Path input;

    private static Backend cpu() {
        return Backends.get("cpu");
    }

    @BeforeEach
    void writeModelAndInput() throws IOException {
        weights = dir.resolve("w.safetensors");
        input = dir.resolve("in.safetensors");
        try (Backends.Use use = Backends.use(cpu()); MemoryScope scope = MemoryScope.open()) {
            Init.manualSeed(3);
            try (Module m = ModelRegistry.create("fmnist_cnn", ModelOptions.DEFAULTS)) {
                Safetensors.save(weights, m.stateDict(), Map.of());
            }
            Safetensors.save(input, Map.of("input", Tensor.randn(cpu(), Shape.of(1, 1, 28, 28), new Random(5))),
                    Map.of());
        }
    }

    private ModelCommandsTestSupport.Result explain(String... more) {
        String[] base = {"--model", "fmnist_cnn", "--weights", weights.toString(), "--backend", "cpu"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return ModelCommandsTestSupport.run(new ExplainCommand(), all);
    }

    @Test
    void everyMethodWritesAHeatMapAndItsRawMap() throws IOException {
        String[][] cases = {{"gradcam", "14"}, {"gradcam++", "14"}, {"saliency", "28"},
            {"integrated-gradients", "28"}, {"occlusion", "28"}};
        for (String[] c : cases) {
            Path png = dir.resolve(c[0] + ".png");
            Path map = dir.resolve(c[0] + ".safetensors");
            var r = explain("--input", input.toString(), "--method", c[0], "--class", "3", "--steps", "4",
                    "--output", png.toString(), "--map", map.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains(c[0] + " of class 3"), r.out());
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(224, img.getWidth(), "28 pixels enlarged 8x");
            Map<String, String> meta = Safetensors.readHeader(map).metadata();
            assertEquals(c[0], meta.get("method"));
            assertEquals("3", meta.get("class"));
            try (MemoryScope scope = MemoryScope.open()) {
                int side = Integer.parseInt(c[1]);
                assertEquals(Shape.of(side, side), Safetensors.load(map, cpu()).get("map").shape(), c[0]);
            }
        }
        assertTrue(explain("--input", input.toString(), "--output", dir.resolve("d.png").toString()).out()
                .contains("gradcam of class"), "gradcam by default, at the default layer");
    }

    @Test
    void featureMapsAndFiltersAreGrids() throws IOException {
        Path maps = dir.resolve("maps.png");
        var r = explain("--input", input.toString(), "--feature-maps", "--layer", "features.2", "--output",
                maps.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("32 feature maps of features.2 (28x28)"), r.out());
        // 32 tiles of 28 -> 6 columns, 6 rows of 2x enlarged tiles with 1-pixel gaps
        BufferedImage grid = ImageIO.read(maps.toFile());
        assertEquals(6 * 57 + 1, grid.getWidth());
        Path filters = dir.resolve("filters.png");
        var f = explain("--filters", "--output", filters.toString());
        assertEquals(0, f.exitCode(), f.err());
        assertTrue(f.out().contains("32 filters of features.0 [32, 1, 3, 3]"), f.out());
        assertEquals(6 * 34 + 1, ImageIO.read(filters.toFile()).getWidth(), "3x3 filters enlarged 11x");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path png = dir.resolve("x.png");
        String[][] cases = {
            {"--output", png.toString()},
            {"--input", input.toString(), "--method", "lime", "--output", png.toString()},
            {"--input", input.toString(), "--feature-maps", "--output", png.toString()},
            {"--filters", "--feature-maps", "--layer", "features.2", "--output", png.toString()},
            {"--input", input.toString(), "--image", input.toString(), "--output", png.toString()},
        };
        String[] expected = {"--image FILE or --input", "unknown explanation method 'lime'", "needs --layer",
            "choose one", "mutually exclusive"};
        for (int i = 0; i < cases.length; i++) {
            var r = explain(cases[i]);
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
        }
        var image = explain("--image", input.toString(), "--output", png.toString());
        assertEquals(1, image.exitCode());
        assertTrue(image.err().contains("takes 1x28x28: pass the preprocessed tensor with --input"), image.err());
        var layer = explain("--input", input.toString(), "--layer", "features.99", "--output", png.toString());
        assertEquals(1, layer.exitCode());
        assertTrue(layer.err().contains("no layer 'features.99'"), layer.err());
    }
}
