package org.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.io.pth.PthFile;
import org.cnn4j.io.pth.PthFormatException;
import org.cnn4j.io.pth.PthTensor;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The .pth files PyTorch 1.13 wrote (tools/golden/make_pth_fixtures.py) against reference safetensors files the
 * same script wrote from the same tensors: every format variant must give identical shapes and bits.
 */
class PthFixturesTest {
    @TempDir
    Path dir;

    /** A tensor as read from a file: stored type, shape and values as float32. */
    record Values(DType dtype, Shape shape, float[] values) {
    }

    static Path fixture(String name) {
        try {
            return Path.of(PthFixturesTest.class.getResource("/pth/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource /pth/" + name, e);
        }
    }

    static Map<String, Values> readPth(Path file, String key) throws IOException {
        Map<String, Values> out = new LinkedHashMap<>();
        try (PthFile pth = PthFile.open(file)) {
            for (PthTensor t : pth.stateDict(key).values()) {
                float[] v = new float[(int) t.shape().numel()];
                ElementCodec.decode(t.dtype(), pth.read(t), v, 0, v.length);
                out.put(t.name(), new Values(t.dtype(), t.shape(), v));
            }
        }
        return out;
    }

    static Map<String, Values> readSafetensors(Path file) throws IOException {
        Map<String, Values> out = new LinkedHashMap<>();
        SafetensorsHeader header = Safetensors.readHeader(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (SafetensorsHeader.Entry e : header.entries().values()) {
                ByteBuffer b = ByteBuffer.allocate((int) e.byteLength()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                SafetensorsHeader.readFully(file, channel, b, header.dataStart() + e.begin());
                float[] v = new float[(int) e.shape().numel()];
                ElementCodec.decode(e.dtype(), b.flip(), v, 0, v.length);
                out.put(e.name(), new Values(e.dtype(), e.shape(), v));
            }
        }
        // the reference lists tensors in state_dict order; the header sorts by offset, which is the same order
        return out;
    }

    /** Same names in the same order, same shapes, bit-identical values; stored types as given. */
    static void assertSameTensors(Map<String, Values> expected, Map<String, Values> actual, DType floatType) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, e) -> {
            Values a = actual.get(name);
            assertEquals(e.shape(), a.shape(), name);
            assertArrayEquals(e.values(), a.values(), name); // assertArrayEquals on floats compares bits
            assertEquals(name.endsWith("num_batches_tracked") ? DType.INT64 : floatType, a.dtype(), name);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_zip.pth", "small_legacy.pth", "small_zip_views.pth", "small_legacy_views.pth",
        "small_zip_dict.pth", "small_zip_params.pth", "small_zip_p3.pth", "small_zip_p4.pth", "small_legacy_p5.pth",
        "small_zip_deflated.pth", "small_zip64.pth", "small_legacy_v1.pth", "small_legacy_py2.pth"})
    void everyFp32VariantGivesTheReferenceTensors(String name) throws IOException {
        assertSameTensors(readSafetensors(fixture("small_ref.safetensors")), readPth(fixture(name), null),
                DType.FLOAT32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_zip_f16.pth", "small_legacy_f16.pth"})
    void fp16VariantsGiveTheHalfRoundedReference(String name) throws IOException {
        assertSameTensors(readSafetensors(fixture("small_ref_f16.safetensors")), readPth(fixture(name), null),
                DType.FLOAT16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip", "legacy"})
    void checkpointsYieldTheirModelByKeyOrAsTheOnlyStateDict(String format) throws IOException {
        Path file = fixture("small_" + format + "_checkpoint.pth");
        Map<String, Values> model = readSafetensors(fixture("small_" + format + "_checkpoint_model.safetensors"));
        assertSameTensors(model, readPth(file, "model"), DType.FLOAT32);
        assertSameTensors(model, readPth(file, null), DType.FLOAT32);

        PthFormatException notSd = assertThrows(PthFormatException.class, () -> readPth(file, "optimizer"));
        assertTrue(notSd.getMessage().startsWith(file + ": 'optimizer' holds a dict of 2, not a state_dict"),
                notSd.getMessage());
        PthFormatException missing = assertThrows(PthFormatException.class, () -> readPth(file, "modle"));
        assertTrue(missing.getMessage().contains("has no key 'modle'; its keys are ['model' (state_dict of 9),"
                + " 'optimizer' (dict), 'epoch' (int), 'config' (dict)]"), missing.getMessage());
    }

    @Test
    void severalStateDictsAreAmbiguousAndTheErrorListsThem() throws IOException {
        Path file = fixture("small_zip_two_models.pth");
        PthFormatException e = assertThrows(PthFormatException.class, () -> readPth(file, null));
        assertEquals(file + ": holds 2 state_dicts, under 'model', 'ema'; choose one with --weights-key (its keys"
                + " are ['model' (state_dict of 9), 'ema' (state_dict of 9), 'epoch' (int)])", e.getMessage());
        assertSameTensors(readSafetensors(fixture("small_ref_f16.safetensors")), readPth(file, "ema"), DType.FLOAT16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip", "legacy"})
    void everyStorageTypeViewScalarAndEmptyTensor(String format) throws IOException {
        Map<String, Values> ref = readSafetensors(fixture("dtypes_ref.safetensors"));
        Map<String, Values> got = readPth(fixture("dtypes_" + format + ".pth"), null);
        assertEquals(List.copyOf(ref.keySet()), List.copyOf(got.keySet()));
        Map<String, DType> stored = Map.of("f16", DType.FLOAT16, "bf16", DType.BFLOAT16, "f64", DType.FLOAT64,
                "i64", DType.INT64, "i32", DType.INT32, "u8", DType.UINT8, "u8_t", DType.UINT8); // others: F32
        ref.forEach((name, r) -> {
            assertEquals(r.shape(), got.get(name).shape(), name);
            assertArrayEquals(r.values(), got.get(name).values(), name);
            assertEquals(stored.getOrDefault(name, DType.FLOAT32), got.get(name).dtype(), name);
        });
        assertEquals(Shape.of(3, 2), got.get("u8_t").shape());
        assertArrayEquals(new float[]{0, 253, 1, 254, 2, 255}, got.get("u8_t").values());
        assertArrayEquals(new float[]{1, -2, 1, -2, 1, -2}, got.get("expanded").values()); // stride 0
        assertEquals(Shape.scalar(), got.get("scalar").shape());
    }

    @Test
    void detectsTheFormatByContentNotName() throws IOException {
        assertEquals(Weights.Format.PTH_ZIP, Weights.detect(fixture("small_zip.pth")));
        assertEquals(Weights.Format.PTH_LEGACY, Weights.detect(fixture("small_legacy.pth")));
        assertEquals(Weights.Format.SAFETENSORS, Weights.detect(fixture("small_ref.safetensors")));
        Path disguised = Files.copy(fixture("small_legacy.pth"), dir.resolve("weights.safetensors"));
        assertEquals(Weights.Format.PTH_LEGACY, Weights.detect(disguised));
        // a safetensors header of 0x280 bytes starts 80 02, like a protocol-2 pickle: content decides in order
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path pickleLike = SafetensorsTestFiles.write(dir, "w.safetensors", json + " ".repeat(0x280 - json.length()),
                new byte[4]);
        assertEquals(Weights.Format.SAFETENSORS, Weights.detect(pickleLike));
        assertEquals(1, Safetensors.readHeader(pickleLike).entries().size());
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello world");
        IOException e = assertThrows(IOException.class, () -> Weights.detect(text));
        assertEquals(text + ": not a weights file: expected safetensors or a PyTorch .pth (zip or legacy pickle"
                + " format), but it starts with bytes 68 65 6c 6c 6f 20 77 6f", e.getMessage());
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> Weights.detect(empty)).getMessage()
                .endsWith("starts with nothing (empty file)"));
    }

    @Test
    void convertsToF32OrKeepsStoredTypes() throws IOException {
        Path f32 = dir.resolve("f32.safetensors");
        assertEquals(9, Weights.convertToSafetensors(fixture("small_legacy_f16.pth"), null, f32, false));
        Map<String, Values> converted = readSafetensors(f32);
        Map<String, Values> ref = readSafetensors(fixture("small_ref_f16.safetensors"));
        ref.forEach((name, r) -> {
            assertArrayEquals(r.values(), converted.get(name).values(), name);
            assertEquals(DType.FLOAT32, converted.get(name).dtype(), name);
        });
        assertEquals(Map.of("format", "pt"), Safetensors.readHeader(f32).metadata());

        Path stored = dir.resolve("stored.safetensors");
        Weights.convertToSafetensors(fixture("small_zip_f16.pth"), null, stored, true);
        assertSameTensors(ref, readSafetensors(stored), DType.FLOAT16);

        Path dtypes = dir.resolve("dtypes.safetensors");
        Weights.convertToSafetensors(fixture("dtypes_zip.pth"), null, dtypes, true);
        Map<String, Values> back = readSafetensors(dtypes);
        readPth(fixture("dtypes_zip.pth"), null).forEach((name, v) -> {
            assertEquals(v.dtype(), back.get(name).dtype(), name);
            assertArrayEquals(v.values(), back.get(name).values(), name);
        });

        Path again = dir.resolve("again.safetensors"); // safetensors in, F32 out
        Weights.convertToSafetensors(stored, null, again, false);
        Map<String, Values> fromSafetensors = readSafetensors(again);
        converted.forEach((name, c) -> {
            assertArrayEquals(c.values(), fromSafetensors.get(name).values(), name);
            assertEquals(DType.FLOAT32, fromSafetensors.get(name).dtype(), name);
        });
    }

    @Test
    void convertedCheckpointTakesTheKeyAndSafetensorsRefusesOne() throws IOException {
        Path out = dir.resolve("model.safetensors");
        Weights.convertToSafetensors(fixture("small_zip_checkpoint.pth"), "model", out, true);
        assertSameTensors(readSafetensors(fixture("small_zip_checkpoint_model.safetensors")), readSafetensors(out),
                DType.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weights.convertToSafetensors(out, "model", dir.resolve("x.safetensors"), false));
        assertTrue(e.getMessage().contains("a weights key ('model') applies only to PyTorch checkpoints"));
    }
}
