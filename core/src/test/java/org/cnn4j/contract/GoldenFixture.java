package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.cnn4j.backend.Backend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.tensor.Tensor;

/**
 * One case of a PyTorch golden fixture (core/src/test/resources/golden, made by tools/golden/make_op_fixtures.py):
 * its parameters (a JSON object in the file's metadata) and its tensors ({@code <case>.<name>}), loaded with
 * cnn4j's own safetensors reader.
 */
final class GoldenFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();

    private final String file;
    private final String name;
    private final JsonNode params;
    private final Map<String, Tensor> tensors;

    private GoldenFixture(String file, String name, JsonNode params, Map<String, Tensor> tensors) {
        this.file = file;
        this.name = name;
        this.params = params;
        this.tensors = tensors;
    }

    /** The case names listed in a fixture file, in generation order. */
    static List<String> cases(String file) {
        try {
            String list = Safetensors.readHeader(path(file)).metadata().get("cases");
            assertNotNull(list, file + " has no 'cases' metadata");
            return List.of(JSON.readValue(list, String[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads every tensor of {@code file} onto {@code backend} (the files are small) and selects one case. */
    static GoldenFixture load(String file, String name, Backend backend) throws IOException {
        Path path = path(file);
        String params = Safetensors.readHeader(path).metadata().get(name);
        assertNotNull(params, file + " has no parameters for case " + name);
        return new GoldenFixture(file, name, JSON.readTree(params), Safetensors.load(path, backend));
    }

    JsonNode params() {
        return params;
    }

    int[] intPair(String key) {
        JsonNode pair = params.get(key);
        assertNotNull(pair, file + "/" + name + ": no parameter " + key);
        return new int[] {pair.get(0).asInt(), pair.get(1).asInt()};
    }

    boolean has(String tensor) {
        return tensors.containsKey(name + "." + tensor);
    }

    Tensor get(String tensor) {
        Tensor t = tensors.get(name + "." + tensor);
        assertNotNull(t, file + "/" + name + ": no tensor " + tensor);
        return t;
    }

    /** A leaf copy that records gradients. */
    Tensor param(String tensor) {
        return get(tensor).copy().requiresGrad(true);
    }

    int[] labels(String tensor) {
        float[] values = get(tensor).toFloatArray();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (int) values[i];
        }
        return labels;
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element-wise, reporting the worst element.
     */
    void assertClose(String tensor, Tensor actual, double atol, double rtol) {
        String what = file + "/" + name + ": " + tensor;
        assertNotNull(actual, what + " was not produced (no gradient?)");
        Tensor expectedTensor = get(tensor);
        assertEquals(expectedTensor.shape(), actual.shape(), what + " shape");
        float[] expected = expectedTensor.toFloatArray();
        float[] got = actual.toFloatArray();
        int bad = 0, worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) got[i] - expected[i]);
            double bound = atol + rtol * Math.abs(expected[i]);
            double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / bound;
            if (ratio > 1) {
                bad++;
            }
            if (ratio > worstRatio || worst < 0) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + ": " + bad + " of " + expected.length + " elements differ from PyTorch"
                    + " beyond atol=" + atol + " rtol=" + rtol + "; worst at flat index " + worst + ": got "
                    + got[worst] + ", expected " + expected[worst]);
        }
    }

    /** Fixtures are classpath resources (possibly inside core's test-jar); the reader wants a file. */
    private static Path path(String file) {
        return FILES.computeIfAbsent(file, f -> {
            String resource = "/golden/" + f + ".safetensors";
            try (InputStream in = GoldenFixture.class.getResourceAsStream(resource)) {
                assertNotNull(in, "missing test resource " + resource);
                Path temp = Files.createTempFile("cnn4j-golden-" + f, ".safetensors");
                temp.toFile().deleteOnExit();
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                return temp;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
