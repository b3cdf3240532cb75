package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weights file with 10,000 keys named with terminal escape codes: the error names a few, escaped, and counts
 * the rest, instead of a line as long as the key list (1.7 MB for 200,000 keys) that clears the user's screen.
 */
class HostileNamesTest {
    @TempDir
    Path tmp;

    @Test
    void manyEscapeCodedKeysGiveAShortPrintableError() throws IOException {
        Backend cpu = Backends.get("cpu");
        Path weights = tmp.resolve("hostile.safetensors");
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (int i = 0; i < 10_000; i++) {
                state.put("\u001b[2J\u001b[Hlayer" + i, Tensor.zeros(cpu, Shape.of(1)));
            }
            Safetensors.save(weights, state, Map.of());
        }
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--weights", weights.toString(), "--input", tmp.resolve("none").toString(), "--output",
                tmp.resolve("out").toString(), "--backend", "cpu");
        assertEquals(1, r.exitCode());
        String err = r.err();
        assertTrue(err.length() < 4000, err.length() + " characters");
        assertFalse(err.contains("\u001b"), "no raw escape code reaches the terminal");
        assertTrue(err.contains("10000 unexpected keys: '\\u001b[2J\\u001b[Hlayer0'"), err);
        assertTrue(err.contains("... and 9980 more"), err);
    }
}
