package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java quickstart, kept compiling and running (on random data) so the README stays true. */
class QuickstartExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeQuickstartRuns() throws IOException {
        Random random = new Random(0);
        float[] pixels = new float[64 * 28 * 28];
        int[] labels = new int[64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        Path file = tmp.resolve("model.safetensors");
        float[] image = java.util.Arrays.copyOf(pixels, 28 * 28);

        // ---- as in README.md ----
        Backend backend = Backends.get("cpu");
        long liveBefore = backend.liveBytes();
        float firstLoss = 0;
        float lastLoss = 0;
        try (var use = Backends.use(backend);
             Module model = new Sequential(
                     new Conv2d(1, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2, 2, 0),
                     new Flatten(), new Linear(16 * 14 * 14, 10));
             Adam adam = new Adam(model.parameters(), 1e-3)) {
            for (int step = 0; step < 5; step++) {
                try (MemoryScope scope = MemoryScope.open()) {   // frees every temporary of the step
                    Tensor x = Tensor.of(backend, pixels, Shape.of(64, 1, 28, 28));
                    Tensor loss = Losses.crossEntropy(model.call(x), labels);
                    adam.zeroGrad();
                    loss.backward();
                    adam.step();
                    lastLoss = loss.item();
                    firstLoss = step == 0 ? lastLoss : firstLoss;
                }
            }
            Safetensors.save(file, model.stateDict(), Map.of());              // atomic
            try (MemoryScope scope = MemoryScope.open()) {
                model.loadStateDict(Safetensors.load(file, backend));       // strict by default
            }
            model.eval();
            try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                float[] logits = model.call(Tensor.of(backend, image, Shape.of(1, 1, 28, 28))).toFloatArray();
                assertEquals(10, logits.length);
            }
        }
        // ---- end ----
        assertTrue(lastLoss < firstLoss, "five Adam steps on one batch lower its loss");
        assertEquals(liveBefore, backend.liveBytes(), "everything was freed");
    }
}
