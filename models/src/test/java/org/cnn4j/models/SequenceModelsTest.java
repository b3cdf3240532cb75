package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The sequence models of the zoo: sizes, layer shapes, and textcnn's padding mask. */
class SequenceModelsTest {

    @Test
    void textCnnHasKimsLayoutAndSize() {
        ModelSummary s = ModelSummary.of("textcnn", ModelOptions.DEFAULTS, Shape.of(1, 1, 1, 64));
        // embedding 10000*128, three convolutions 100*(k*128)+100 for k = 3, 4, 5, fc 300*2+2
        assertEquals(1_280_000 + 153_900 + 602, s.params());
        assertTrue(s.layers().stream().anyMatch(l -> l.name().equals("convs.2")
                && l.output().equals(Shape.of(1, 100, 64, 1)))); // 64 ids + 4 padding, 5 wide
        assertEquals(Shape.of(1, 2), s.layers().get(s.layers().size() - 1).output());
    }

    @Test
    void m5HasThePapersLayerSizes() {
        ModelSummary s = ModelSummary.of("m5", ModelOptions.DEFAULTS, Shape.of(1, 1, 1, 32000));
        // Dai et al. 2017, table 1: 32000 samples -> 8000 after conv [80/4], then /4 per max-pool; ~0.5M parameters
        assertTrue(s.layers().stream().anyMatch(l -> l.name().equals("features.0")
                && l.output().equals(Shape.of(1, 128, 8000))));
        assertTrue(s.layers().stream().anyMatch(l -> l.name().equals("features.12")
                && l.output().equals(Shape.of(1, 512, 125))));
        assertTrue(s.layers().stream().anyMatch(l -> l.name().equals("features.15")
                && l.output().equals(Shape.of(1, 512, 31))));
        assertEquals(10_368 + 256 + 49_280 + 256 + 98_560 + 512 + 393_728 + 1_024 + 5_130, s.params());
        assertEquals(Shape.of(1, 10), s.layers().get(s.layers().size() - 1).output());
    }

    @Test
    void textCnnLogitsDoNotDependOnPaddingAndTheHeadIsFc() {
        Backend cpu = new CpuBackend();
        try (Backends.Use use = Backends.use(cpu);
             Module m = ModelRegistry.create("textcnn", ModelOptions.numClasses(3).withVocabSize(30));
             MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            m.eval();
            float[] shortIds = {4, 8, 15, 16, 23, 0, 0};
            float[] longIds = new float[40];
            System.arraycopy(shortIds, 0, longIds, 0, 5);
            float[] a = m.call(Tensor.of(cpu, shortIds, Shape.of(1, 7))).toFloatArray();
            float[] b = m.call(Tensor.of(cpu, longIds, Shape.of(1, 1, 1, 40))).toFloatArray();
            assertArrayEquals(a, b, 1e-5f);
            float[] noPadding = m.call(Tensor.of(cpu, new float[] {4, 8, 15, 16, 23}, Shape.of(1, 5))).toFloatArray();
            assertArrayEquals(a, noPadding, 1e-5f);
            // two tokens are shorter than the widest window: padded, not rejected
            assertEquals(3, m.call(Tensor.of(cpu, new float[] {4, 8}, Shape.of(1, 2))).numel());
            assertEquals("fc.", ModelHeads.headPrefix(m));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> m.call(Tensor.of(cpu, new float[6], Shape.of(1, 2, 1, 3))));
            assertTrue(e.getMessage().contains("textcnn") && e.getMessage().contains("[N, L]"), e.getMessage());
        }
        assertEquals(0, cpu.liveBytes());
    }

    @Test
    void registryListsTheSequenceModels() {
        assertTrue(ModelRegistry.names().containsAll(List.of("textcnn", "m5")));
        assertArrayEquals(new int[] {1, 1, 64}, ModelRegistry.entry("textcnn").defaultInput());
    }
}
