package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Fine-tuning helpers and ResNet's zeroInitResidual, on real (small) CPU tensors. */
class ModelHeadsTest {
    private static final Backend CPU = new CpuBackend();

    @Test
    void replaceClassifierKeepsTheBackbone() {
        try (Backends.Use use = Backends.use(CPU)) {
            Module old = ModelRegistry.create("resnet20", ModelOptions.DEFAULTS);
            float[] conv = old.stateDict().get("layer2.1.conv1.weight").toFloatArray();
            Module tuned = ModelHeads.replaceClassifier("resnet20", old, 3, ModelOptions.DEFAULTS);
            try (tuned) {
                assertTrue(old.stateDict().get("fc.weight").isClosed(), "the old model is closed");
                assertArrayEquals(conv, tuned.stateDict().get("layer2.1.conv1.weight").toFloatArray());
                assertEquals(Shape.of(3, 64), tuned.stateDict().get("fc.weight").shape());
                ModelHeads.freezeBackbone(tuned);
                tuned.namedParameters().forEach((k, t) -> assertEquals(k.startsWith("fc."), t.requiresGrad(), k));
            }
        }
    }

    @Test
    void auxiliaryClassifiersAreHeadsToo() {
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend())) {
            Module old = ModelRegistry.create("googlenet", ModelOptions.DEFAULTS);
            try (Module tuned = ModelHeads.replaceClassifier("googlenet", old, 5, ModelOptions.DEFAULTS)) {
                assertEquals(Shape.of(5, 1024), tuned.stateDict().get("aux1.fc2.weight").shape());
                assertEquals(Shape.of(5, 1024), tuned.stateDict().get("fc.weight").shape());
                ModelHeads.freezeBackbone(tuned);
                tuned.namedParameters().forEach((k, t) -> assertEquals(
                        k.startsWith("fc.") || k.startsWith("aux1.fc2.") || k.startsWith("aux2.fc2."),
                        t.requiresGrad(), k));
            }
            try (Module inception = ModelRegistry.create("inception_v3", ModelOptions.DEFAULTS)) {
                assertEquals(List.of("fc.", "AuxLogits.fc."), ModelHeads.headPrefixes(inception));
            }
        }
    }

    @Test
    void loadExceptHeadReportsEveryOtherProblemAndLoadsNothing() {
        try (Backends.Use use = Backends.use(CPU); Module model = ModelRegistry.create("lenet5");
             Module other = ModelRegistry.create("lenet5")) {
            Map<String, Tensor> state = new LinkedHashMap<>(other.stateDict());
            state.remove("features.0.bias");
            state.put("features.3.weight", Tensor.zeros(CPU, Shape.of(16, 6, 3, 3)));
            state.put("extra.weight", Tensor.zeros(CPU, Shape.of(2)));
            float[] before = model.stateDict().get("features.0.weight").toFloatArray();
            StateDictException e = assertThrows(StateDictException.class,
                    () -> ModelHeads.loadExceptHead(model, state));
            assertTrue(e.getMessage().contains("features.0.bias") && e.getMessage().contains("extra.weight")
                    && e.getMessage().contains("features.3.weight: checkpoint [16, 6, 3, 3] vs model [16, 6, 5, 5]"),
                    e.getMessage());
            assertArrayEquals(before, model.stateDict().get("features.0.weight").toFloatArray(), "nothing loaded");
            state.get("features.3.weight").close();
            state.get("extra.weight").close();
        }
    }

    @Test
    void zeroInitResidualZeroesTheLastNormOfEachBlock() {
        try (Backends.Use use = Backends.use(CPU);
             Module m = ModelRegistry.create("resnet18", ModelOptions.DEFAULTS.withZeroInitResidual(true))) {
            Map<String, Tensor> sd = m.stateDict();
            assertArrayEquals(new float[64], sd.get("layer1.0.bn2.weight").toFloatArray());
            assertArrayEquals(new float[512], sd.get("layer4.1.bn2.weight").toFloatArray());
            float[] bn1 = sd.get("layer1.0.bn1.weight").toFloatArray();
            for (float v : bn1) {
                assertEquals(1f, v);
            }
            // kaiming_normal(fan_out, relu): std sqrt(2 / (64 * 9)) for layer1 convs
            float[] w = sd.get("layer1.0.conv1.weight").toFloatArray();
            double sq = 0;
            for (float v : w) {
                sq += v * v;
            }
            double std = Math.sqrt(sq / w.length);
            assertEquals(Math.sqrt(2.0 / (64 * 9)), std, 0.03 * std);
            assertFalse(sd.get("fc.bias").toFloatArray()[0] == 0f, "fc keeps PyTorch's default init");
        }
    }
}
