package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each torchvision model, built once on the {@link ShapeOnlyBackend} (exact shapes, no memory): parameter count,
 * ordered state_dict keys with shapes, and conv+linear MACs at 224x224 against torchvision's.
 */
class ModelStructureTest {

    static Stream<Arguments> torchvisionModels() {
        return Stream.of(
                Arguments.of("alexnet", 61_100_840L), Arguments.of("vgg11", 132_863_336L),
                Arguments.of("vgg11_bn", 132_868_840L), Arguments.of("vgg13", 133_047_848L),
                Arguments.of("vgg13_bn", 133_053_736L), Arguments.of("vgg16", 138_357_544L),
                Arguments.of("vgg16_bn", 138_365_992L), Arguments.of("vgg19", 143_667_240L),
                Arguments.of("vgg19_bn", 143_678_248L), Arguments.of("resnet18", 11_689_512L),
                Arguments.of("resnet34", 21_797_672L), Arguments.of("resnet50", 25_557_032L),
                Arguments.of("resnet101", 44_549_160L), Arguments.of("resnet152", 60_192_808L),
                Arguments.of("resnext50_32x4d", 25_028_904L), Arguments.of("wide_resnet50_2", 68_883_240L));
    }

    @Test
    void defaultInputCannotBeChangedThroughAnEntry() {
        ModelRegistry.entry("vgg11").defaultInput()[1] = 32;
        assertArrayEquals(new int[] {3, 224, 224}, ModelRegistry.entry("resnet18").defaultInput());
    }

    @ParameterizedTest
    @MethodSource("torchvisionModels")
    void matchesTorchvision(String name, long expectedParams) {
        List<String> fixture = Fixtures.lines("keys/" + name + ".txt");
        assertEquals(expectedParams, Long.parseLong(Fixtures.field(fixture, "params")), "fixture for " + name);
        List<String> expectedKeys = fixture.subList(1, fixture.size());
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend());
             Module model = ModelRegistry.create(name, ModelOptions.DEFAULTS)) {
            assertEquals(expectedParams, model.parameterCount(), name + " parameter count");
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
                keys.add(e.getKey() + "\t" + dims(e.getValue().shape()));
            }
            assertEquals(String.join("\n", expectedKeys), String.join("\n", keys), name + " state_dict keys");

            ModelSummary summary = ModelSummary.of(name, model, Shape.of(1, 3, 224, 224));
            assertEquals(torchvisionMacs(name), summary.macs(), name + " MACs at 224x224");
            assertEquals(expectedParams, summary.layers().stream().mapToLong(ModelSummary.Layer::params).sum(),
                    name + ": per-layer parameters add up to the total");
            assertEquals(Shape.of(1, 1000), summary.layers().get(summary.layers().size() - 1).output());
        }
    }

    private static String dims(Shape s) {
        return java.util.Arrays.stream(s.dims()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    static long torchvisionMacs(String name) {
        for (String line : Fixtures.lines("macs.txt")) {
            String[] f = line.split(" ");
            if (f[0].equals(name)) {
                return Long.parseLong(f[2]);
            }
        }
        throw new IllegalStateException("no MACs for " + name + " in macs.txt");
    }
}
