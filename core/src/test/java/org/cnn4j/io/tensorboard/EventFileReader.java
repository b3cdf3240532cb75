package org.cnn4j.io.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;

/**
 * A reader for tests: splits a TFRecord file into records, checking the framing and both masked CRC-32Cs of every
 * record, and decodes each record as an Event of the committed schema.
 */
final class EventFileReader {
    private EventFileReader() {
    }

    /** The records' payloads; fails on a bad CRC, a truncated record or trailing bytes. */
    static List<byte[]> records(byte[] file) {
        List<byte[]> records = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (in.remaining() < 12) {
                throw new IllegalStateException("truncated record header at byte " + in.position());
            }
            int start = in.position();
            long length = in.getLong();
            int lengthCrc = in.getInt();
            if (lengthCrc != TfRecords.maskedCrc32c(file, start, 8)) {
                throw new IllegalStateException("length CRC mismatch at byte " + start);
            }
            if (length > in.remaining() - 4) {
                throw new IllegalStateException("record at byte " + start + " claims " + length + " bytes");
            }
            byte[] data = new byte[(int) length];
            in.get(data);
            if (in.getInt() != TfRecords.maskedCrc32c(data, 0, data.length)) {
                throw new IllegalStateException("data CRC mismatch in the record at byte " + start);
            }
            records.add(data);
        }
        return records;
    }

    /** Every record decoded as an Event; fails if a record holds a field the schema does not know. */
    static List<DynamicMessage> events(Path file, Descriptor event) throws IOException {
        List<DynamicMessage> events = new ArrayList<>();
        for (byte[] record : records(Files.readAllBytes(file))) {
            DynamicMessage m = DynamicMessage.parseFrom(event, record);
            assertNoUnknownFields(m);
            events.add(m);
        }
        return events;
    }

    /** Unknown fields mean a number or wire type that disagrees with the schema. */
    private static void assertNoUnknownFields(DynamicMessage m) {
        if (m.getUnknownFields().asMap().size() > 0) {
            throw new AssertionError("fields unknown to the schema in " + m.getDescriptorForType().getName()
                    + ": " + m.getUnknownFields());
        }
        m.getAllFields().forEach((field, value) -> {
            if (value instanceof DynamicMessage child) {
                assertNoUnknownFields(child);
            } else if (value instanceof List<?> list) {
                list.stream().filter(DynamicMessage.class::isInstance)
                        .forEach(v -> assertNoUnknownFields((DynamicMessage) v));
            }
        });
    }
}
