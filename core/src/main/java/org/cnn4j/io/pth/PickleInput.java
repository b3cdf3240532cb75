package org.cnn4j.io.pth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The bytes of a pickle: a whole array (a zip entry) or a stretch of a file read through a small window (the
 * legacy format's pickles, whose lengths are known only by parsing them). Every read is checked against what
 * remains before anything is allocated, so a hostile length field fails instead of allocating.
 */
final class PickleInput {
    /** Real pickles of weights files are kilobytes (about 100 bytes per tensor); this bounds what one may hold. */
    static final long MAX_PICKLE_BYTES = 64L << 20;
    private static final int WINDOW = 1 << 16;

    private final String name;
    private final FileChannel channel;
    private final long end;
    private final boolean capped;
    private ByteBuffer window;
    private long windowStart;
    private long position;

    private PickleInput(String name, FileChannel channel, long start, long end, ByteBuffer window) {
        this.name = name;
        this.channel = channel;
        this.end = Math.min(end, start + MAX_PICKLE_BYTES);
        this.capped = this.end < end;
        this.window = window.order(ByteOrder.LITTLE_ENDIAN);
        this.windowStart = start;
        this.position = start;
    }

    /** The pickle in {@code bytes} (at most {@link #MAX_PICKLE_BYTES} of them are read). */
    static PickleInput of(String name, byte[] bytes) {
        return new PickleInput(name, null, 0, bytes.length, ByteBuffer.wrap(bytes));
    }

    /** Reads from {@code channel} starting at {@code start}, never past the end of the file. */
    static PickleInput of(String name, FileChannel channel, long start) throws IOException {
        return new PickleInput(name, channel, start, channel.size(), ByteBuffer.allocate(0));
    }

    /** What the pickle is, for messages ("archive/data.pkl", "the object pickle"). */
    String name() {
        return name;
    }

    long position() {
        return position;
    }

    long remaining() {
        return end - position;
    }

    int u8() throws IOException {
        return take(1).get() & 0xff;
    }

    int u16() throws IOException {
        return take(2).getShort() & 0xffff;
    }

    int s32() throws IOException {
        return take(4).getInt();
    }

    long u32() throws IOException {
        return s32() & 0xffffffffL;
    }

    long s64() throws IOException {
        return take(8).getLong();
    }

    /** BINFLOAT is the one big-endian field in a pickle. */
    double f64BigEndian() throws IOException {
        return Double.longBitsToDouble(Long.reverseBytes(s64()));
    }

    /** {@code n} bytes (n from the file, so checked against what remains before allocating). */
    byte[] bytes(long n, String what) throws IOException {
        if (n < 0 || n > remaining()) {
            checkCap();
            throw new PthFormatException(what + " of " + Long.toUnsignedString(n) + " bytes runs past the end ("
                    + remaining() + " bytes left; truncated?)");
        }
        byte[] out = new byte[(int) n];
        int done = 0;
        while (done < out.length) {
            ByteBuffer w = windowAt(1);
            int count = Math.min(w.remaining(), out.length - done);
            w.get(out, done, count);
            position += count;
            done += count;
        }
        return out;
    }

    /** A text line without its '\n' (GLOBAL's module and name): printable ASCII, at most {@code max} bytes. */
    String line(int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = u8();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() >= max || b < 0x20 || b > 0x7e) {
                throw new PthFormatException("a GLOBAL name is not a printable ASCII line of at most " + max
                        + " bytes");
            }
            sb.append((char) b);
        }
    }

    private void checkCap() throws PthFormatException {
        if (capped) {
            throw new PthFormatException("pickle is longer than the limit of " + MAX_PICKLE_BYTES + " bytes");
        }
    }

    /** Consumes {@code n} (at most 8) bytes and returns the window positioned at the first of them. */
    private ByteBuffer take(int n) throws IOException {
        if (remaining() < n) {
            checkCap();
            throw new PthFormatException("ends early: " + n + " more byte(s) needed at byte " + position
                    + " (truncated?)");
        }
        ByteBuffer w = windowAt(n);
        position += n;
        return w;
    }

    /** The window positioned at the current byte, holding at least {@code n} of the remaining bytes. */
    private ByteBuffer windowAt(int n) throws IOException {
        if (channel == null) {
            return window.position((int) position);
        }
        long offset = position - windowStart;
        if (offset + n > window.limit()) {
            refill();
            offset = 0;
        }
        return window.position((int) offset);
    }

    private void refill() throws IOException {
        ByteBuffer fresh = ByteBuffer.allocate((int) Math.min(WINDOW, remaining())).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (fresh.hasRemaining()) {
            int r = channel.read(fresh, at);
            if (r < 0) {
                throw new PthFormatException("ends early at byte " + at + " (the file shrank while reading?)");
            }
            at += r;
        }
        window = fresh.flip();
        windowStart = position;
    }
}
