package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn train --weights}: fine-tuning a zoo model on an image folder with another number of classes. */
class FineTuneCommandTest {
    @TempDir
    Path tmp;

    private final Backend cpu = Backends.get("cpu");

    /** Weights of {@code model} for 10 (or 1000) classes, as a pretrained file would hold. */
    private Path pretrained(String model, ModelOptions options) throws IOException {
        Path file = tmp.resolve(model + ".safetensors");
        try (Backends.Use use = Backends.use(cpu); MemoryScope scope = MemoryScope.open()) {
            Init.manualSeed(123);
            try (Module m = ModelRegistry.create(model, options)) {
                Safetensors.save(file, m.stateDict(), Map.of());
            }
        }
        return file;
    }

    private Map<String, float[]> tensors(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (MemoryScope scope = MemoryScope.open()) {
            Safetensors.load(file, cpu).forEach((k, v) -> out.put(k, v.toFloatArray()));
        }
        return out;
    }

    @Test
    void everyWeightButTheReplacedHeadIsLoadedAndTheBackboneCanStayFrozen() throws IOException {
        Path weights = pretrained("lenet5", ModelOptions.DEFAULTS.withInChannels(3));
        Path data = CliRun.imageFolder(tmp.resolve("folder"), 3, 6, 28);
        Path out = tmp.resolve("run");
        CliRun r = CliRun.run("train", "--model", "lenet5", "--weights", weights.toString(), "--num-classes", "3",
                "--dataset", "folder", "--data", data.toString(), "--freeze-backbone", "--epochs", "1",
                "--batch-size", "6", "--backend", "cpu", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("except the head classifier.5.* (3 classes here), which starts fresh"), r.out());
        Map<String, float[]> before = tensors(weights);
        Map<String, float[]> after = tensors(out.resolve("last.safetensors"));
        for (String k : before.keySet()) {
            if (k.startsWith("classifier.5.")) {
                assertEquals(3 * (k.endsWith("weight") ? 84 : 1), after.get(k).length, k + " is the new head");
            } else {
                assertArrayEquals(before.get(k), after.get(k), k + " is loaded and frozen");
            }
        }
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("run/metrics.json").toFile()).get("config");
        assertEquals("classifier.5.", config.get("head_prefix").asText());
        assertTrue(config.get("freeze_backbone").asBoolean());
    }

    @Test
    void headLearningRateAndFreezePrefixesReachTheOptimizer() throws IOException {
        Path weights = pretrained("lenet5", ModelOptions.DEFAULTS.withInChannels(3));
        Path data = CliRun.imageFolder(tmp.resolve("folder"), 2, 4, 28);
        Path out = tmp.resolve("run");
        CliRun r = CliRun.run("train", "--model", "lenet5", "--weights", weights.toString(), "--dataset", "folder",
                "--data", data.toString(), "--freeze", "features.0", "--head-lr-mult", "10", "--schedule", "none",
                "--lr", "0.001", "--epochs", "1", "--batch-size", "4", "--backend", "cpu", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> meta = Safetensors.readHeader(out.resolve("last.safetensors")).metadata();
        assertEquals("0.001", meta.get("optimizer/group.0.lr"));
        assertEquals("0.01", meta.get("optimizer/group.1.lr"));
        assertEquals("8", meta.get("optimizer/param_count"), "10 tensors less the frozen conv's two");
        assertArrayEquals(tensors(weights).get("features.0.weight"),
                tensors(out.resolve("last.safetensors")).get("features.0.weight"));
        CliRun bad = CliRun.run("train", "--model", "lenet5", "--dataset", "folder", "--data", data.toString(),
                "--freeze", "layer4", "--epochs", "1", "--backend", "cpu", "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("freeze prefix 'layer4' matches no parameter; the model's parameters start"
                + " with 'features', 'classifier'"), bad.err());
    }

    @Test
    void imagenetModelsFineTunedFromWeightsGetImagenetStatistics() throws IOException {
        Path weights = pretrained("resnet18", ModelOptions.DEFAULTS);
        Path data = CliRun.cifar(tmp.resolve("cifar"), 2);
        CliRun r = CliRun.run("train", "--model", "resnet18", "--weights", weights.toString(), "--dataset",
                "cifar10", "--data", data.toString(), "--freeze-backbone", "--epochs", "1", "--batch-size", "4",
                "--backend", "cpu", "--out", tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("except the head fc.* (10 classes here)"), r.out());
        assertTrue(TrainSetup.imagenetPretrained("resnet18", true));
        assertFalse(TrainSetup.imagenetPretrained("resnet18", false), "trained from scratch: the data's own");
        assertFalse(TrainSetup.imagenetPretrained("resnet20", true), "a CIFAR model");
        CliRun fashion = CliRun.run("train", "--model", "resnet18", "--weights", weights.toString(), "--epochs", "1",
                "--backend", "cpu", "--out", tmp.resolve("run2").toString());
        assertEquals(1, fashion.code());
        assertTrue(fashion.err().contains("ImageNet-pretrained models take 3-channel images"), fashion.err());
    }

    @Test
    void numClassesMustMatchTheDataset() throws IOException {
        Path data = CliRun.imageFolder(tmp.resolve("folder"), 2, 2, 28);
        CliRun r = CliRun.run("train", "--model", "lenet5", "--dataset", "folder", "--data", data.toString(),
                "--num-classes", "5", "--backend", "cpu", "--out", tmp.resolve("run").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--num-classes 5 does not match the dataset, which has 2 classes"), r.err());
    }

    /** Weights with NaN are refused wherever they are read. */
    @Test
    void nanWeightsAreRefused() throws IOException {
        Path weights = tmp.resolve("nan.safetensors");
        try (Backends.Use use = Backends.use(cpu); MemoryScope scope = MemoryScope.open();
             Module m = ModelRegistry.create("lenet5", ModelOptions.DEFAULTS)) {
            Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
            float[] w = state.get("classifier.5.weight").toFloatArray();
            Arrays.fill(w, 0, 7, Float.NaN);
            state.put("classifier.5.weight", Tensor.of(cpu, w, state.get("classifier.5.weight").shape()));
            Safetensors.save(weights, state, Map.of());
        }
        CliRun eval = CliRun.run("eval", "--model", "lenet5", "--weights", weights.toString(), "--limit-test", "8",
                "--backend", "cpu");
        assertEquals(1, eval.code());
        assertTrue(eval.err().contains("tensor 'classifier.5.weight' holds 7 NaN and 0 infinite values of 840"),
                eval.err());
        CliRun tune = CliRun.train("--model", "lenet5", "--weights", weights.toString(), "--out",
                tmp.resolve("run").toString());
        assertEquals(1, tune.code());
        assertTrue(tune.err().contains("holds 7 NaN"), tune.err());
    }
}
