package org.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header parsing and every kind of malformed file; no backend needed. */
class SafetensorsHeaderTest {
    @TempDir
    Path dir;

    private Path file(String json, int dataBytes) throws IOException {
        return SafetensorsTestFiles.write(dir, "t.safetensors", json, new byte[dataBytes]);
    }

    /** Asserts the header is rejected with a message naming the file and containing every fragment. */
    private void assertRejected(Path file, String... fragments) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.readHeader(file));
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "message should name the file: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message should contain '" + fragment + "': " + message);
        }
    }

    private void assertRejected(String json, int dataBytes, String... fragments) throws IOException {
        assertRejected(file(json, dataBytes), fragments);
    }

    @Test
    void parsesEntriesInDataOrderAndMetadata() throws IOException {
        Path f = file("{\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"epoch\":\"3\"},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[8,16]},"
                + "\"empty\":{\"dtype\":\"F16\",\"shape\":[0,5],\"data_offsets\":[40,40]}}    ", 40);
        SafetensorsHeader h = Safetensors.readHeader(f);
        assertEquals(List.of("a", "c", "b", "empty"), List.copyOf(h.entries().keySet()));
        assertEquals(Map.of("format", "pt", "epoch", "3"), h.metadata());
        SafetensorsHeader.Entry b = h.entries().get("b");
        assertEquals(DType.FLOAT32, b.dtype());
        assertEquals(Shape.of(2, 3), b.shape());
        assertEquals(16, b.begin());
        assertEquals(40, b.end());
        assertEquals(Shape.scalar(), h.entries().get("a").shape());
        assertEquals(Files.size(f) - 40, h.dataStart());
        assertEquals(40, h.dataLength());
    }

    @Test
    void rejectsFileShorterThanTheLengthField() throws IOException {
        assertRejected(Files.write(dir.resolve("short"), new byte[] {1, 2, 3}), "3 bytes", "at least 8");
    }

    @Test
    void rejectsHeaderLengthOf2To63() throws IOException {
        byte[] b = SafetensorsTestFiles.bytes("{}", new byte[0]);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MIN_VALUE);
        assertRejected(Files.write(dir.resolve("huge"), b), "header length 9223372036854775808",
                "larger than the file");
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        byte[] b = SafetensorsTestFiles.bytes("{}", new byte[10]);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertRejected(Files.write(dir.resolve("long"), b), "header length 1000", "file is 20 bytes",
                "at most 12");
    }

    @Test
    void rejectsAbsurdHeaderLengthEvenWhenTheFileIsThatLarge() throws IOException {
        Path f = dir.resolve("sparse");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200L << 20), 0);
            ch.write(ByteBuffer.wrap(new byte[] {'}'}), (200L << 20) + 7); // sparse: nothing real in between
        }
        assertRejected(f, "header length " + (200L << 20), "exceeds the limit of " + (100L << 20));
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws IOException {
        assertRejected("{\"a\": nope}", 0, "header is not valid JSON");
        assertRejected("{} trailing", 0, "header is not valid JSON");
        assertRejected("", 0, "header must be a JSON object", "nothing");
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutStackOverflow() throws IOException {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertRejected(deep, 0, "header is not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotAnObject() throws IOException {
        assertRejected("[1, 2]", 0, "header must be a JSON object", "array");
    }

    @Test
    void rejectsDuplicateNames() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "not valid JSON", "'a'");
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        for (String dtype : List.of("I8", "U16", "BOOL", "F8_E4M3", "float32")) {
            assertRejected("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4,
                    "tensor 'w'", "unsupported dtype '" + dtype + "'", "F32, F16, BF16, F64, I64, I32, U8");
        }
        assertRejected("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                "tensor 'w'", "dtype must be a string", "32");
    }

    @Test
    void rejectsShapeThatDisagreesWithTheByteRange() throws IOException {
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20,
                "tensor 'w'", "shape [2, 3] of F32 needs 24 bytes", "span 20");
        assertRejected("{\"w\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,12]}}", 12,
                "tensor 'w'", "needs 24 bytes", "span 12");
    }

    @Test
    void rejectsShapesWhoseElementCountOverflows() throws IOException {
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "too many elements");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4]}}", 4,
                "tensor 'w'", "dimension 1099511627776 exceeds 2147483647");
    }

    @Test
    void rejectsOffsetsOutsideTheDataBuffer() throws IOException {
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]}}", 16,
                "tensor 'w'", "[0, 24]", "outside the data buffer of 16 bytes");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775803,"
                + "9223372036854775807]}}", 4, "tensor 'w'", "outside the data buffer of 4 bytes");
    }

    @Test
    void rejectsOverlappingRanges() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24,
                "tensor 'b'", "[8, 24] overlap tensor 'a' [0, 16]");
    }

    @Test
    void rejectsGapsAndRangesThatEndBeforeTheyBegin() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", 24,
                "tensor 'b'", "starts at byte 16", "'a' ends at 8", "no gap");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16,
                "tensor 'a'", "starts at byte 8", "data buffer starts at 0");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8,
                "tensor 'a'", "[8, 0] end before they begin");
    }

    @Test
    void rejectsTrailingBytesAfterTheLastTensor() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12,
                "cover 8 bytes of the 12-byte data buffer", "trailing");
    }

    @Test
    void rejectsNegativeAndNonIntegerNumbers() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4,
                "tensor 'a'", "shape must be non-negative, found -1");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4,
                "tensor 'a'", "data_offsets must be non-negative, found -4");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4,
                "tensor 'a'", "shape must hold integers", "1.5");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,"
                + "100000000000000000000000]}}", 4, "tensor 'a'", "data_offsets must hold integers");
    }

    @Test
    void rejectsEntriesWithMissingOrMalformedKeys() throws IOException {
        assertRejected("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a'", "missing key 'dtype'");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "tensor 'a'",
                "missing key 'shape'");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'a'", "missing key 'data_offsets'");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "tensor 'a'",
                "data_offsets must be an array [begin, end]");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,4]}}", 4, "tensor 'a'",
                "shape must be an array");
        assertRejected("{\"a\":[1,2,3]}", 0, "tensor 'a'", "expected an object");
    }

    @Test
    void rejectsMetadataThatIsNotAStringMap() throws IOException {
        assertRejected("{\"__metadata__\":{\"epoch\":3}}", 0, "__metadata__ value for 'epoch' must be a string");
        assertRejected("{\"__metadata__\":[\"x\"]}", 0, "__metadata__ must be an object");
    }
}
