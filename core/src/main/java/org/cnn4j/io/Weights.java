package org.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.io.pth.PthFile;
import org.cnn4j.io.pth.PthTensor;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Tensor;

/**
 * Loads weights from any supported file, recognised by its content (never its name): safetensors, or PyTorch's
 * {@code .pth}/{@code .pt} in the zip format or the legacy format ({@link PthFile}: nothing in the file is run).
 * The sibling of {@link Safetensors#load} for every caller that takes a weights file:
 * {@code model.loadStateDict(Weights.load(path, backend))}.
 */
public final class Weights {
    /** The formats {@link #detect} tells apart. */
    public enum Format { SAFETENSORS, PTH_ZIP, PTH_LEGACY }

    private Weights() {
    }

    /** The file's format, from its first bytes; a file in none of them is an error naming what it starts with. */
    public static Format detect(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 512)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
                // read the head (a short file is simply shorter)
            }
            byte[] bytes = head.array();
            // safetensors first: a header length such as 0x280 starts with the bytes of a protocol-2 pickle
            if (bytes.length >= 9 && head.getLong(0) >= 2 && head.getLong(0) <= size - 8 && bytes[8] == '{') {
                return Format.SAFETENSORS;
            }
            PthFile.Kind kind = PthFile.detect(bytes);
            if (kind != null) {
                return kind == PthFile.Kind.ZIP ? Format.PTH_ZIP : Format.PTH_LEGACY;
            }
            if (bytes.length >= 262 && new String(bytes, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                    .equals("ustar")) {
                throw new IOException(file + ": a tar archive: PyTorch's tar format (before version 0.1.10) is not"
                        + " supported; load it with that PyTorch and save it again");
            }
            throw new IOException(file + ": not a weights file: expected safetensors or a PyTorch .pth (zip or"
                    + " legacy pickle format), but it starts with " + (bytes.length == 0 ? "nothing (empty file)"
                    : "bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length))));
        }
    }

    /** Every tensor of the file as float32 on {@code backend}; a PyTorch file must hold one state_dict. */
    public static Map<String, Tensor> load(Path file, Backend backend) throws IOException {
        return load(file, backend, null);
    }

    /**
     * Like {@link #load(Path, Backend)}; {@code key} picks the state_dict under that key of a PyTorch checkpoint
     * dict ({@code {"model": ..., "optimizer": ...}}). Tensors of any stored type are converted to float32; they
     * belong to the caller (or the current {@link org.cnn4j.tensor.MemoryScope}).
     */
    public static Map<String, Tensor> load(Path file, Backend backend, String key) throws IOException {
        if (detect(file) == Format.SAFETENSORS) {
            requireNoKey(file, key);
            return Safetensors.load(file, backend);
        }
        try (PthFile pth = PthFile.open(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            boolean complete = false;
            try {
                for (PthTensor t : pth.stateDict(key).values()) {
                    float[] values = new float[(int) t.shape().numel()];
                    ElementCodec.decode(t.dtype(), pth.read(t), values, 0, values.length);
                    out.put(t.name(), Tensor.of(backend, values, t.shape()));
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

    /**
     * Writes the tensors of {@code input} (any supported format; {@code key} as for {@link #load}) to a
     * safetensors file, atomically: as F32, or with {@code keepStoredTypes} in their stored element types.
     * One tensor is in memory at a time. Returns the number of tensors written.
     */
    public static int convertToSafetensors(Path input, String key, Path output, boolean keepStoredTypes)
            throws IOException {
        Format format = detect(input);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        if (format == Format.SAFETENSORS) {
            requireNoKey(input, key);
            try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ)) {
                SafetensorsHeader header = Safetensors.readHeader(input);
                metadata.putAll(header.metadata());
                List<StoredTensor> tensors = new ArrayList<>();
                for (SafetensorsHeader.Entry e : header.entries().values()) {
                    StoredTensor.Bytes bytes = () -> readEntry(input, channel, header.dataStart(), e);
                    tensors.add(converted(new StoredTensor(e.name(), e.dtype(), e.shape(), bytes), keepStoredTypes));
                }
                Safetensors.saveStored(output, tensors, metadata);
                return tensors.size();
            }
        }
        try (PthFile pth = PthFile.open(input)) {
            List<StoredTensor> tensors = new ArrayList<>();
            for (PthTensor t : pth.stateDict(key).values()) {
                StoredTensor stored = new StoredTensor(t.name(), t.dtype(), t.shape(), () -> pth.read(t));
                tensors.add(converted(stored, keepStoredTypes));
            }
            Safetensors.saveStored(output, tensors, metadata);
            return tensors.size();
        }
    }

    /** The tensor as F32 (decoded when it is written) unless stored types are kept. */
    private static StoredTensor converted(StoredTensor t, boolean keepStoredTypes) {
        if (keepStoredTypes || t.dtype() == DType.FLOAT32) {
            return t;
        }
        return new StoredTensor(t.name(), DType.FLOAT32, t.shape(), () -> {
            float[] values = new float[(int) t.shape().numel()];
            ElementCodec.decode(t.dtype(), t.bytes().get(), values, 0, values.length);
            ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            ElementCodec.encodeF32(values, 0, values.length, out);
            return out.flip();
        });
    }

    private static ByteBuffer readEntry(Path file, FileChannel channel, long dataStart, SafetensorsHeader.Entry e)
            throws IOException {
        if (e.byteLength() > Integer.MAX_VALUE - 8) {
            throw SafetensorsHeader.error(file, "tensor '" + e.name() + "' is " + e.byteLength()
                    + " bytes; conversion handles tensors up to 2 GiB");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) e.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        SafetensorsHeader.readFully(file, channel, buffer, dataStart + e.begin());
        return buffer.flip();
    }

    private static void requireNoKey(Path file, String key) {
        if (key != null) {
            throw new IllegalArgumentException(file + " is a safetensors file, which holds one flat state_dict;"
                    + " a weights key ('" + key + "') applies only to PyTorch checkpoints");
        }
    }
}
