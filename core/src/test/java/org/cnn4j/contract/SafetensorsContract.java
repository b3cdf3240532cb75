package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cnn4j.io.Safetensors;
import org.cnn4j.io.SafetensorsHeader;
import org.cnn4j.io.SafetensorsTestFiles;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors save/load through a backend: round trips, dtype conversion, atomic replacement. */
public abstract class SafetensorsContract extends BackendTestBase {
    @TempDir
    Path dir;

    /** Host copies of what {@link #sampleTensors} put on the backend: the expected values of a round trip. */
    private final Map<String, float[]> sampleValues = new LinkedHashMap<>();

    private Map<String, Tensor> sampleTensors() {
        sampleValues.put("conv.weight", NumericAsserts.gaussian(random, 4 * 3 * 3 * 3));
        sampleValues.put("bn.running_mean", NumericAsserts.gaussian(random, 4));
        sampleValues.put("bn.num_batches_tracked", new float[] {7});
        sampleValues.put("fc.bias", NumericAsserts.gaussian(random, 5));
        sampleValues.put("scale", new float[] {2.5f});
        int[][] dims = {{4, 3, 3, 3}, {4}, {}, {5}, {}};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, float[]> e : sampleValues.entrySet()) {
            tensors.put(e.getKey(), tensor(e.getValue().clone(), dims[i++]));
        }
        return tensors;
    }

    @Test
    void roundTripKeepsOrderValuesMetadataAndI64Buffers() throws IOException {
        Map<String, Tensor> tensors = sampleTensors();
        Path file = dir.resolve("model.safetensors");
        Map<String, String> metadata = Map.of("model", "tiny", "epoch", "3");
        Safetensors.save(file, tensors, metadata, Map.of("bn.num_batches_tracked", DType.INT64));

        SafetensorsHeader header = Safetensors.readHeader(file);
        assertEquals(metadata, header.metadata());
        assertEquals(0, header.dataStart() % 8, "data must start 8-byte aligned");
        SafetensorsHeader.Entry nbt = header.entries().get("bn.num_batches_tracked");
        assertEquals(DType.INT64, nbt.dtype());
        assertEquals(Shape.of(), nbt.shape());
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7L, raw.getLong((int) (header.dataStart() + nbt.begin())));
        assertEquals(DType.FLOAT32, header.entries().get("conv.weight").dtype());

        Map<String, Tensor> loaded = Safetensors.load(file, backend);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(loaded.keySet()));
        for (String name : tensors.keySet()) {
            assertEquals(tensors.get(name).shape(), loaded.get(name).shape(), name);
            assertArrayEquals(sampleValues.get(name), loaded.get(name).toFloatArray(), name);
        }
    }

    @Test
    void tensorsLargerThanOneReadChunkRoundTrip() throws IOException {
        // 300k floats (1.2 MB) and 200k I64 values (1.6 MB) span several 1 MB read/write chunks
        float[] ramp = new float[200_000];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i - 100_000;
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[] big = NumericAsserts.gaussian(random, 300 * 1000);
        tensors.put("big", tensor(big.clone(), 300, 1000));
        tensors.put("ramp", tensor(ramp, 200_000));
        Path file = dir.resolve("big.safetensors");
        Safetensors.save(file, tensors, null, Map.of("ramp", DType.INT64));
        Map<String, Tensor> loaded = Safetensors.load(file, backend);
        assertArrayEquals(big, loaded.get("big").toFloatArray());
        assertArrayEquals(ramp, loaded.get("ramp").toFloatArray());
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Files.writeString(file, "old contents");
        Safetensors.save(file, Map.of("x", tensor(new float[] {1, 2, 3}, 3)), Map.of());
        assertArrayEquals(new float[] {1, 2, 3}, Safetensors.load(file, backend).get("x").toFloatArray());
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failedSaveLeavesTheTargetUntouched() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Files.writeString(file, "old contents");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", randn(3));
        tensors.put("steps", tensor(new float[] {1, 2.5f}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, tensors, null, Map.of("steps", DType.INT64)));
        assertTrue(e.getMessage().contains("tensor 'steps' value 2.5 at index 1 is not an integer"), e.getMessage());
        assertEquals("old contents", Files.readString(file));
        assertEquals(List.of(file), listDir());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, tensors, null, Map.of("nope", DType.INT64)));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, tensors, null, Map.of("w", DType.FLOAT16)));
        assertTrue(half.getMessage().contains("only FLOAT32 and INT64"), half.getMessage());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void loadsF16Bf16F64AndI64AsFloat32() throws IOException {
        short[] half = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x3555, (short) 0xfc00};
        float[] halfExpected = {1f, -2f, 65504f, 0x1p-24f, 0.333251953125f, Float.NEGATIVE_INFINITY};
        float[] bfSource = {1f, -3.14159265f, 42f, 1e-3f};
        double[] doubles = {0.1, -2.5, 1e300, 1e-50};
        long[] longs = {3, -7, (1L << 53) + 1, Long.MAX_VALUE};

        ByteBuffer data = SafetensorsTestFiles.data(12 + 8 + 32 + 32);
        for (short h : half) {
            data.putShort(h);
        }
        for (float f : bfSource) {
            data.putShort((short) (Float.floatToIntBits(f) >>> 16)); // bfloat16 = top half, truncated
        }
        for (double d : doubles) {
            data.putDouble(d);
        }
        for (long l : longs) {
            data.putLong(l);
        }
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[12,20]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[20,52]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[4],\"data_offsets\":[52,84]}}";
        Path file = SafetensorsTestFiles.write(dir, "mixed.safetensors", header, data.array());

        Map<String, Tensor> loaded = Safetensors.load(file, backend);
        assertEquals(Shape.of(2, 3), loaded.get("h").shape());
        assertArrayEquals(halfExpected, loaded.get("h").toFloatArray());
        float[] bfExpected = new float[bfSource.length];
        for (int i = 0; i < bfSource.length; i++) {
            bfExpected[i] = Float.intBitsToFloat(Float.floatToIntBits(bfSource[i]) & 0xffff0000);
        }
        assertArrayEquals(bfExpected, loaded.get("b").toFloatArray());
        assertEquals(-3.140625f, loaded.get("b").toFloatArray()[1]);
        assertArrayEquals(new float[] {0.1f, -2.5f, Float.POSITIVE_INFINITY, 0f}, loaded.get("d").toFloatArray());
        assertArrayEquals(new float[] {3f, -7f, 9007199254740992f, 9.223372E18f}, loaded.get("l").toFloatArray());
    }

    @Test
    void loadRejectsAMalformedFileBeforeAllocatingTensors() throws IOException {
        long live = backend.liveBytes();
        Path file = SafetensorsTestFiles.write(dir, "bad.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}", new byte[4]);
        Exception e = assertThrows(IOException.class, () -> Safetensors.load(file, backend));
        assertTrue(e.getMessage().contains("tensor 'w'") && e.getMessage().contains("outside the data buffer"),
                e.getMessage());
        assertEquals(live, backend.liveBytes());
    }
}
