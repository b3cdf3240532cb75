package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The small CPU-trainable models and the registry, on the shape-only backend. */
class SmallModelsTest {

    private static ModelSummary summary(String name, int... input) {
        return ModelSummary.of(name, ModelOptions.DEFAULTS, Shape.of(input));
    }

    @Test
    void cifarResNetsHaveThePapersSizes() {
        // He et al. 2016, table 6: resnet20 0.27M, resnet56 0.85M parameters (option A shortcuts add none)
        ModelSummary r20 = summary("resnet20", 1, 3, 32, 32);
        assertEquals(269_722, r20.params());
        assertEquals(Shape.of(1, 10), last(r20).output());
        assertEquals(853_018, summary("resnet56", 1, 3, 32, 32).params());
        // 19 conv layers + fc in resnet20: 3x3 convs only, stages at 32, 16 and 8 pixels
        assertEquals(19, r20.layers().stream().filter(l -> l.type().equals("Conv2d")).count());
        assertTrue(r20.layers().stream().anyMatch(l -> l.name().equals("layer3.2.conv2")
                && l.output().equals(Shape.of(1, 64, 8, 8))));
    }

    @Test
    void lenet5TakesMnistSizedInput() {
        ModelSummary s = summary("lenet5", 1, 1, 28, 28);
        assertEquals(61_706, s.params());
        assertEquals(Shape.of(1, 16, 5, 5), s.layers().stream().filter(l -> l.name().equals("features.5"))
                .findFirst().orElseThrow().output());
        // 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10
        assertEquals(117_600 + 240_000 + 48_000 + 10_080 + 840, s.macs());
    }

    @Test
    void fmnistCnnIsSmallAndCheap() {
        ModelSummary s = summary("fmnist_cnn", 1, 1, 28, 28);
        assertEquals(421_834, s.params());
        // conv1 28*28*32*9, conv2 14*14*64*288, fc1 3136*128, fc2 128*10
        assertEquals(225_792 + 3_612_672 + 401_408 + 1_280, s.macs());
        assertEquals(Shape.of(1, 10), last(s).output());
    }

    @Test
    void optionsChangeTheHeadAndTheInput() {
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend());
             Module m = ModelRegistry.create("resnet18", new ModelOptions(7, 1, false))) {
            assertEquals(List.of(64, 1, 7, 7), toList(m.stateDict().get("conv1.weight").shape()));
            assertEquals(List.of(7, 512), toList(m.stateDict().get("fc.weight").shape()));
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("resnet19", ModelOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("unknown model 'resnet19'"), e.getMessage());
        for (String n : List.of("alexnet", "vgg19_bn", "resnet152", "resnet20", "lenet5", "fmnist_cnn")) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
        assertEquals(71, ModelRegistry.names().size());
    }

    @Test
    void tooSmallInputFailsWithTheLayerShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> summary("alexnet", 1, 3, 32, 32));
        // 32 -> conv 11/4 pad 2: 7 -> pool 3/2: 3 -> conv 5 pad 2: 3 -> pool 3/2: 1 -> 3x3 convs: 1 -> pool 3/2 fails
        assertTrue(e.getMessage().contains("max_pool2d") && e.getMessage().contains("kernel 3x3")
                && e.getMessage().contains("padded input 1x1"), e.getMessage());
    }

    private static ModelSummary.Layer last(ModelSummary s) {
        return s.layers().get(s.layers().size() - 1);
    }

    private static List<Integer> toList(Shape s) {
        return java.util.Arrays.stream(s.dims()).boxed().toList();
    }
}
