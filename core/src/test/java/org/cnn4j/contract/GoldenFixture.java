package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.cnn4j.backend.Backend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.io.SafetensorsHeader;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One case of a PyTorch golden fixture (core/src/test/resources/golden, made by tools/golden/make_op_fixtures.py):
 * its parameters (a JSON object in the file's metadata) and its tensors ({@code <case>.<name>}). The values stay on
 * the host: inputs are copied to the backend under test when asked for, and expected values are never sent through
 * it, so a device that loses or never writes data cannot read back the same wrong values on both sides.
 */
final class GoldenFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();

    private final String file;
    private final String name;
    private final JsonNode params;
    private final Map<String, HostTensor> tensors;
    private final Backend backend;

    /** A tensor's shape and float32 values, on the host. */
    record HostTensor(Shape shape, float[] values) {
    }

    private GoldenFixture(String file, String name, JsonNode params, Map<String, HostTensor> tensors,
                          Backend backend) {
        this.file = file;
        this.name = name;
        this.params = params;
        this.tensors = tensors;
        this.backend = backend;
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

    /** Reads every tensor of {@code file} to the host (the files are small) and selects one case. */
    static GoldenFixture load(String file, String name, Backend backend) throws IOException {
        Path path = path(file);
        String params = Safetensors.readHeader(path).metadata().get(name);
        assertNotNull(params, file + " has no parameters for case " + name);
        return new GoldenFixture(file, name, JSON.readTree(params), readHost(path), backend);
    }

    /** A golden file (a classpath resource under /golden/) read to the host, F32 and I64 as float32. */
    static Map<String, HostTensor> readHost(String file) throws IOException {
        return readHost(path(file));
    }

    /**
     * Decodes a safetensors file without any backend. Deliberately not {@link Safetensors#load}, which puts the
     * values on a backend: expected values must not travel through the device under test.
     */
    private static Map<String, HostTensor> readHost(Path path) throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(path);
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : header.entries().values()) {
            float[] v = new float[Math.toIntExact(e.shape().numel())];
            int at = Math.toIntExact(header.dataStart() + e.begin());
            for (int i = 0; i < v.length; i++) {
                switch (e.dtype()) {
                    case FLOAT32 -> v[i] = data.getFloat(at + 4 * i);
                    case INT64 -> v[i] = data.getLong(at + 8 * i);
                    default -> throw new AssertionError(path + ": golden tensor " + e.name() + " is " + e.dtype()
                            + "; the host reader knows F32 and I64");
                }
            }
            out.put(e.name(), new HostTensor(e.shape(), v));
        }
        return out;
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

    /** The host copy of a tensor of this case. */
    HostTensor host(String tensor) {
        HostTensor t = tensors.get(name + "." + tensor);
        assertNotNull(t, file + "/" + name + ": no tensor " + tensor);
        return t;
    }

    /** A new tensor on the backend under test holding the fixture's values (an input). */
    Tensor get(String tensor) {
        HostTensor t = host(tensor);
        return Tensor.of(backend, t.values().clone(), t.shape());
    }

    /** A new leaf on the backend under test that records gradients. */
    Tensor param(String tensor) {
        return get(tensor).requiresGrad(true);
    }

    int[] labels(String tensor) {
        float[] values = host(tensor).values();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (int) values[i];
        }
        return labels;
    }

    /**
     * Back-propagates the fixture's {@code dy} through a convolution-like op's output {@code y} and checks y and
     * the gradients of its input, weight and (when present) bias against the fixture's y, dx, dw and db.
     */
    void assertForwardAndGradients(Tensor y, Tensor x, Tensor w, Tensor b, double atol, double rtol) {
        y.backward(get("dy"));
        assertClose("y", y, atol, rtol);
        assertClose("dx", x.grad(), atol, rtol);
        assertClose("dw", w.grad(), atol, rtol);
        if (b != null) {
            assertClose("db", b.grad(), atol, rtol);
        }
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element-wise, reporting the worst element.
     */
    void assertClose(String tensor, Tensor actual, double atol, double rtol) {
        String what = file + "/" + name + ": " + tensor;
        assertNotNull(actual, what + " was not produced (no gradient?)");
        HostTensor expectedTensor = host(tensor);
        assertEquals(expectedTensor.shape(), actual.shape(), what + " shape");
        float[] expected = expectedTensor.values();
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
