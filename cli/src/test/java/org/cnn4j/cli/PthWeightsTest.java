package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch files through the commands that take weights: lenet5 saved by PyTorch 1.13 as a zip .pth, as a legacy
 * training checkpoint ({"model", "optimizer", "epoch"}) and, by the same script, as safetensors
 * (tools/golden/make_pth_fixtures.py). Every route must give the same logits, bit for bit.
 */
class PthWeightsTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PthWeightsTest.class.getResource("/org/cnn4j/cli/pth/" + name).toURI());
    }

    private float[] infer(String weights, String... extra) throws Exception {
        Path out = dir.resolve("out-" + weights + ".safetensors");
        String[] base = {"--model", "lenet5", "--backend", "cpu", "--weights", fixture(weights).toString(),
            "--input", fixture("lenet5_input.safetensors").toString(), "--output", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), args);
        assertEquals(0, r.exitCode(), r.err());
        return logits(out);
    }

    private static float[] logits(Path file) throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> y = Safetensors.load(file, Backends.get("cpu"));
            assertEquals(Shape.of(2, 10), y.get("output").shape());
            return y.get("output").toFloatArray();
        }
    }

    @Test
    void pthAndCheckpointGiveTheSafetensorsLogitsBitForBit() throws Exception {
        float[] reference = infer("lenet5.safetensors");
        assertArrayEquals(reference, infer("lenet5.pth"));
        assertArrayEquals(reference, infer("lenet5_checkpoint_legacy.pth", "--weights-key", "model"));
        assertArrayEquals(reference, infer("lenet5_checkpoint_legacy.pth")); // the only state_dict in it
    }

    @Test
    void aWrongKeyListsTheKeys() throws Exception {
        Path weights = fixture("lenet5_checkpoint_legacy.pth");
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--backend", "cpu", "--weights", weights.toString(), "--weights-key", "state_dict", "--input",
                fixture("lenet5_input.safetensors").toString(), "--output", dir.resolve("o").toString());
        assertEquals(1, r.exitCode());
        assertEquals("cnn infer: " + weights + ": has no key 'state_dict'; its keys are ['model' (state_dict of 10),"
                + " 'optimizer' (dict), 'epoch' (int)]", r.err().strip());
    }

    @Test
    void convertWritesTheSafetensorsEquivalentThatInfersIdentically() throws Exception {
        Path converted = dir.resolve("lenet5-converted.safetensors");
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ConvertCommand(), "--input",
                fixture("lenet5_checkpoint_legacy.pth").toString(), "--weights-key", "model", "--output",
                converted.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote 10 tensors to " + converted + " (float32)"), r.out());
        Path out = dir.resolve("out.safetensors");
        assertEquals(0, ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5", "--backend", "cpu",
                "--weights", converted.toString(), "--input", fixture("lenet5_input.safetensors").toString(),
                "--output", out.toString()).exitCode());
        assertArrayEquals(infer("lenet5.safetensors"), logits(out));
        assertEquals(2, ModelCommandsTestSupport.run(new ConvertCommand(), "--input", converted.toString(),
                "--output", dir.resolve("x").toString(), "--dtype", "f8").exitCode());
    }

    @Test
    void contentDecidesTheFormatNotTheName() throws Exception {
        Path disguised = Files.copy(fixture("lenet5.pth"), dir.resolve("lenet5.safetensors"));
        Path out = dir.resolve("out.safetensors");
        assertEquals(0, ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5", "--backend", "cpu",
                "--weights", disguised.toString(), "--input", fixture("lenet5_input.safetensors").toString(),
                "--output", out.toString()).exitCode());
        assertArrayEquals(infer("lenet5.safetensors"), logits(out));
    }
}
