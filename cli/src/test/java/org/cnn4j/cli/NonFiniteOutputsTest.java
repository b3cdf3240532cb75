package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finite weights whose outputs overflow (a head of 3e38s): NaN and infinite outputs are failures that say so,
 * never a 100% accuracy, NaN probabilities or an output file of NaN with exit code 0.
 */
class NonFiniteOutputsTest {
    @TempDir
    Path tmp;

    private final Backend cpu = Backends.get("cpu");

    private Path overflowingWeights(String model, ModelOptions options, String head) throws IOException {
        Path file = tmp.resolve(model + ".safetensors");
        try (Backends.Use use = Backends.use(cpu); MemoryScope scope = MemoryScope.open();
             Module m = ModelRegistry.create(model, options)) {
            Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
            Tensor w = state.get(head + "weight");
            float[] huge = new float[(int) w.numel()];
            Arrays.fill(huge, 3e38f);
            state.put(head + "weight", Tensor.of(cpu, huge, w.shape()));
            Safetensors.save(file, state, Map.of());
        }
        return file;
    }

    @Test
    void evalCountsNanOutputsAsWrongAndFails() throws IOException {
        Path weights = overflowingWeights("fmnist_cnn", ModelOptions.DEFAULTS, "classifier.4.");
        CliRun r = CliRun.run("eval", "--weights", weights.toString(), "--limit-test", "32", "--backend", "cpu");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("accuracy 0.00%"), r.out());
        assertTrue(r.err().contains("cnn eval: 32 of 32 images gave NaN or infinite outputs (counted as wrong)"),
                r.err());
    }

    @Test
    void inferWritesNothingForNanOutputs() throws IOException {
        Path weights = overflowingWeights("lenet5", ModelOptions.DEFAULTS, "classifier.5.");
        Path in = tmp.resolve("in.safetensors");
        try (MemoryScope scope = MemoryScope.open()) {
            float[] x = new float[2 * 28 * 28];
            Arrays.fill(x, 1f);
            Safetensors.save(in, Map.of("input", Tensor.of(cpu, x, Shape.of(2, 1, 28, 28))), Map.of());
        }
        Path out = tmp.resolve("out.safetensors");
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--weights", weights.toString(), "--input", in.toString(), "--output", out.toString(),
                "--backend", "cpu");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("the model's output holds"), r.err());
        assertTrue(r.err().contains("the input is finite, so the values overflow inside the model"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void predictFailsInsteadOfPrintingNan() throws IOException {
        Path weights = overflowingWeights("resnet18", ModelOptions.numClasses(3), "fc.");
        Path image = tmp.resolve("img.png");
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 90);
            }
        }
        ImageIO.write(img, "png", image.toFile());
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new PredictCommand(), "--model", "resnet18",
                "--num-classes", "3", "--weights", weights.toString(), "--image", image.toString(), "--backend",
                "cpu");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("of the model's 3 outputs are NaN or infinite"), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
    }
}
