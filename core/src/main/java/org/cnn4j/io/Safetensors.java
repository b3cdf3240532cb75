package org.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.cnn4j.backend.Backend;
import org.cnn4j.io.SafetensorsHeader.Entry;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Tensor;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header
 * (name -> dtype, shape, data_offsets; optional {@code __metadata__} of strings), then the raw little-endian
 * data. Tensors are read one at a time through a {@link FileChannel}, so loading needs about one tensor's worth
 * of extra heap, not the file's size. Writes are atomic: a crash leaves the old file or none, never half a file.
 */
public final class Safetensors {
    /** Bytes moved per read or write call; a multiple of every element size. */
    private static final int CHUNK_BYTES = 1 << 20;

    private Safetensors() {
    }

    /** Reads and validates only the header. */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(file, channel);
        }
    }

    /**
     * Loads every tensor onto {@code backend} as float32 (F16, BF16, F64 and I64 are converted), in file order.
     * The tensors belong to the caller (or to the current {@link org.cnn4j.tensor.MemoryScope}).
     */
    public static Map<String, Tensor> load(Path file, Backend backend) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, channel);
            Map<String, Tensor> out = new LinkedHashMap<>();
            boolean complete = false;
            try {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, header.dataLength())))
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : header.entries().values()) {
                    float[] values = readValues(file, channel, header.dataStart(), e, chunk);
                    out.put(e.name(), Tensor.of(backend, values, e.shape()));
                }
                complete = true;
            } finally {
                if (!complete) {
                    out.values().forEach(Tensor::close);
                }
            }
            return out;
        }
    }

    private static float[] readValues(Path file, FileChannel channel, long dataStart, Entry e, ByteBuffer chunk)
            throws IOException {
        long numel = e.shape().numel();
        if (numel > Integer.MAX_VALUE) {
            throw SafetensorsHeader.error(file, "tensor '" + e.name() + "' has " + numel
                    + " elements; at most " + Integer.MAX_VALUE + " are supported");
        }
        int elementSize = e.dtype().byteSize();
        float[] values = new float[(int) numel];
        int done = 0;
        long position = dataStart + e.begin();
        while (done < values.length) {
            int count = Math.min(values.length - done, chunk.capacity() / elementSize);
            chunk.clear().limit(count * elementSize);
            SafetensorsHeader.readFully(file, channel, chunk, position);
            chunk.flip();
            ElementCodec.decode(e.dtype(), chunk, values, done, count);
            done += count;
            position += (long) count * elementSize;
        }
        return values;
    }

    /** Saves float32 tensors (in the map's order) with optional metadata; see the overload for I64 buffers. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        save(file, tensors, metadata, Map.of());
    }

    /**
     * Saves tensors in the map's order. {@code dtypes} may name tensors to store as {@link DType#INT64}
     * (integer-valued buffers such as BatchNorm's num_batches_tracked); all others are stored as F32.
     *
     * @throws IllegalArgumentException for a reserved or unknown name, an unsupported dtype, or a non-integer
     *                                  value in a tensor stored as I64 (the target file is then left untouched)
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                            Map<String, DType> dtypes) throws IOException {
        for (Map.Entry<String, DType> d : dtypes.entrySet()) {
            if (!tensors.containsKey(d.getKey())) {
                throw new IllegalArgumentException("safetensors save: dtypes names '" + d.getKey()
                        + "', which is not among the tensors " + tensors.keySet());
            }
            if (d.getValue() != DType.FLOAT32 && d.getValue() != DType.INT64) {
                throw new IllegalArgumentException("safetensors save: tensor '" + d.getKey() + "' requested as "
                        + d.getValue() + "; only FLOAT32 and INT64 can be written");
            }
        }
        byte[] header = headerBytes(tensors, metadata == null ? Map.of() : metadata, dtypes);
        AtomicFiles.write(file, channel -> {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            writeFully(channel, head);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
                writeTensor(channel, t.getKey(), t.getValue(), dtypes.getOrDefault(t.getKey(), DType.FLOAT32), chunk);
            }
        });
    }

    private static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, String> metadata,
                                      Map<String, DType> dtypes) throws JsonProcessingException {
        List<StoredTensor> entries = new ArrayList<>();
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            String name = t.getKey();
            Tensor tensor = t.getValue();
            if (tensor.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException("safetensors save: tensor '" + name + "' has dtype "
                        + tensor.dtype() + "; expected FLOAT32");
            }
            entries.add(new StoredTensor(name, dtypes.getOrDefault(name, DType.FLOAT32), tensor.shape(), null));
        }
        return headerBytes(entries, metadata);
    }

    /** The padded JSON header for tensors stored in this order, back to back. */
    private static byte[] headerBytes(List<StoredTensor> tensors, Map<String, String> metadata)
            throws JsonProcessingException {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (StoredTensor t : tensors) {
            String name = t.name();
            if (name == null || name.equals(SafetensorsHeader.METADATA_KEY) || root.has(name)) {
                throw new IllegalArgumentException("safetensors save: invalid or repeated tensor name '" + name + "'");
            }
            long end = offset + t.byteSize();
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", t.dtype().safetensorsName());
            var shape = entry.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = SafetensorsHeader.JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // like the reference: data starts 8-byte aligned
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /**
     * Saves tensors given by their stored bytes, in list order: each {@link StoredTensor#bytes()} is called once,
     * while writing, and must yield exactly {@code byteSize()} little-endian bytes. Atomic like {@link #save}.
     */
    static void saveStored(Path file, List<StoredTensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(file, channel -> {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            writeFully(channel, head);
            for (StoredTensor t : tensors) {
                ByteBuffer data = t.bytes().get();
                if (data.remaining() != t.byteSize()) {
                    throw new IllegalStateException("tensor '" + t.name() + "' gave " + data.remaining()
                            + " bytes; expected " + t.byteSize());
                }
                writeFully(channel, data);
            }
        });
    }

    private static void writeTensor(FileChannel channel, String name, Tensor tensor, DType dtype, ByteBuffer chunk)
            throws IOException {
        float[] values = tensor.toFloatArray();
        int elementSize = dtype.byteSize();
        for (int done = 0; done < values.length; ) {
            int count = Math.min(values.length - done, CHUNK_BYTES / elementSize);
            chunk.clear();
            if (dtype == DType.INT64) {
                int bad = ElementCodec.encodeI64(values, done, count, chunk);
                if (bad >= 0) {
                    throw new IllegalArgumentException("safetensors save: tensor '" + name + "' value " + values[bad]
                            + " at index " + bad + " is not an integer in the I64 range; cannot store it as I64");
                }
            } else {
                ElementCodec.encodeF32(values, done, count, chunk);
            }
            chunk.flip();
            writeFully(channel, chunk);
            done += count;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
