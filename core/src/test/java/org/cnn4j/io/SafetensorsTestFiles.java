package org.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte for tests (valid and hostile ones). */
public final class SafetensorsTestFiles {
    private SafetensorsTestFiles() {
    }

    /** An 8-byte little-endian header length, the header text, then {@code data}. */
    public static byte[] bytes(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    public static Path write(Path dir, String name, String headerJson, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), bytes(headerJson, data));
    }

    /** Little-endian data buffer builder. */
    public static ByteBuffer data(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
