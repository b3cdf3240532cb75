package org.cnn4j.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.ImageShape;
import org.cnn4j.data.ToUnit;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.FitData;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.ScheduleKind;
import org.cnn4j.train.TrainConfigBuilder;
import org.cnn4j.train.TrainConfig;

/** Small, fast training runs for the {@link org.cnn4j.train.Fit} contracts: 8x8 images, four classes. */
final class FitFixtures {
    static final int SIZE = 8;
    static final int CLASSES = 4;

    private FitFixtures() {
    }

    /** Dark noise with one bright 2x2 blob; the label is the quadrant that holds it. */
    static ArrayDataset quadrants(int n, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * SIZE * SIZE;
            for (int j = 0; j < SIZE * SIZE; j++) {
                pixels[base + j] = (byte) r.nextInt(60);
            }
            labels[i] = r.nextInt(CLASSES);
            int top = (labels[i] / 2) * 4 + r.nextInt(3);
            int left = (labels[i] % 2) * 4 + r.nextInt(3);
            for (int y = top; y < top + 2; y++) {
                for (int x = left; x < left + 2; x++) {
                    pixels[base + y * SIZE + x] = (byte) 250;
                }
            }
        }
        return new ArrayDataset(pixels, labels, new ImageShape(1, SIZE, SIZE), List.of("tl", "tr", "bl", "br"));
    }

    static FitData data(int trainImages, int testImages) {
        return new FitData(quadrants(trainImages, 1), new ToUnit(), quadrants(testImages, 2), new ToUnit(),
                "quadrant blobs");
    }

    /** conv 1->4 3x3 - ReLU - max-pool 2 - flatten - linear 64->4; the head is "4.". No batch norm or dropout. */
    static Sequential net(long seed) {
        Init.manualSeed(seed);
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 4 * 4, CLASSES));
    }

    static TrainConfigBuilder config() {
        return TrainConfig.builder("test_net", "quadrants").epochs(2).batchSize(16).lr(0.01)
                .optimizer(OptimizerKind.ADAM).schedule(ScheduleKind.NONE).seed(5);
    }

    /** Every tensor of a safetensors file as float arrays. */
    static Map<String, float[]> tensors(Path file, Backend backend) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (MemoryScope scope = MemoryScope.open()) {
            for (Map.Entry<String, Tensor> e : Safetensors.load(file, backend).entrySet()) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            }
        }
        return out;
    }

    static Map<String, float[]> weights(Module model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
