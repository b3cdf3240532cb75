package org.cnn4j.io.pth;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PyTorch weights file ({@code torch.save} output) opened without running anything in it: the zip format of
 * PyTorch 1.6 and later or the legacy format before it, told apart by content. Opening parses the object pickle
 * with a restricted unpickler ({@link AllowedGlobal} is the list of what it may name) and checks every storage
 * reference against the data; tensors are read one at a time with {@link #read}. Every error names the file.
 */
public final class PthFile implements Closeable {
    /** Which of torch.save's formats a file is in. */
    public enum Kind { ZIP, LEGACY }

    /** What the two formats share: the unpickled object and access to storage bytes. */
    interface Format {
        Object root();

        /** {@code count} elements of {@code storage} from {@code firstElement} on, little-endian. */
        ByteBuffer read(StorageRef storage, long firstElement, long count) throws IOException;
    }

    /** A tensor's stored bytes are one Java array. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    private final Path file;
    private final FileChannel channel;
    private final Format format;

    private PthFile(Path file, FileChannel channel, Format format) {
        this.file = file;
        this.channel = channel;
        this.format = format;
    }

    /** The format {@code head} (a file's first bytes) starts, or null if neither. */
    public static Kind detect(byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4
                || head[2] == 5 && head[3] == 6)) {
            return Kind.ZIP;
        }
        if (head.length >= 2 && (head[0] & 0xff) == Opcodes.PROTO && head[1] >= 2 && head[1] <= 5) {
            return Kind.LEGACY;
        }
        return null;
    }

    /** Opens and validates {@code file}; the caller closes it. */
    public static PthFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(8, channel.size()));
            ZipDirectory.readFully(channel, head, 0);
            Kind kind = detect(head.array());
            if (kind == null) {
                throw new PthFormatException("not a PyTorch file: it starts with neither a zip header nor a pickle");
            }
            Format format = kind == Kind.ZIP ? ZipFormat.open(channel) : LegacyFormat.open(channel);
            return new PthFile(file, channel, format);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw named(file, e);
        }
    }

    /**
     * The state_dict: the file's object itself, or its value under {@code key} (null: the only state_dict in a
     * top-level dict), in the file's order.
     */
    public Map<String, PthTensor> stateDict(String key) throws PthFormatException {
        try {
            Map<String, PthTensor> out = new LinkedHashMap<>();
            StateDictSelector.select(format.root(), key).forEach((name, ref) -> out.put(name, new PthTensor(name, ref)));
            return out;
        } catch (PthFormatException e) {
            throw new PthFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** The tensor's elements in row-major order, in its stored type, little-endian (views are copied out). */
    public ByteBuffer read(PthTensor tensor) throws IOException {
        TensorRef t = tensor.ref;
        int es = t.storage.dtype().byteSize();
        try {
            if (t.span() * es > MAX_TENSOR_BYTES) {
                throw new PthFormatException("tensor '" + tensor.name() + "' spans " + t.span() * es + " bytes of its"
                        + " storage; at most " + MAX_TENSOR_BYTES + " are supported");
            }
            ByteBuffer src = format.read(t.storage, t.storage.firstElement() + t.offset, t.span());
            if (t.isContiguous()) {
                return src.order(ByteOrder.LITTLE_ENDIAN);
            }
            return gather(t, src, es);
        } catch (IOException | RuntimeException e) {
            throw named(file, e);
        }
    }

    /** Copies a strided view into row-major order, element by element. */
    private static ByteBuffer gather(TensorRef t, ByteBuffer src, int es) {
        byte[] out = new byte[(int) (t.numel * es)];
        int rank = t.shape.length;
        int[] index = new int[rank];
        long from = 0;
        for (int i = 0; i < t.numel; i++) {
            src.get((int) (from * es), out, i * es, es);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < t.shape[d]) {
                    from += t.strides[d];
                    break;
                }
                from -= (long) (index[d] - 1) * t.strides[d];
                index[d] = 0;
            }
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static IOException named(Path file, Exception e) {
        if (e instanceof PthFormatException) {
            return new PthFormatException(file + ": " + e.getMessage(), e);
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new PthFormatException(file + ": malformed file (" + e + ")", e);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
