package org.cnn4j.distributed;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The frames of the TCP ring: a 12-byte header (operation number, payload bytes or -1 for an abort) and a payload
 * of little-endian floats, or of a UTF-8 reason for an abort. Writes happen on the sender thread, reads on the
 * caller's; the two directions never share a buffer.
 */
final class RingLink {
    private static final int HEADER = 12;
    private static final int MAX_REASON_BYTES = 4096;
    private static final int ABORT = -1;
    private static final int WAITING = -2;

    /** The previous rank failed and said why. */
    static final class PeerAbort extends IOException {
        private static final long serialVersionUID = 1L;

        PeerAbort(String message) {
            super(message);
        }
    }

    /** Nothing arrived within the timeout (and the grace period after it). */
    static final class PeerSilent extends IOException {
        private static final long serialVersionUID = 1L;

        PeerSilent() {
            super("silent");
        }
    }

    /** A frame that does not belong to the operation this rank is running. */
    static final class ProtocolMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolMismatch(String message) {
            super(message);
        }
    }

    private final Socket fromPrev;
    private final OutputStream out;
    private final DataInputStream in;
    private final byte[] sendBytes;
    private final ByteBuffer sendView;
    private final byte[] receiveBytes;
    private final ByteBuffer receiveView;

    RingLink(Socket toNext, Socket fromPrev, int segmentFloats) throws IOException {
        this.fromPrev = fromPrev;
        this.out = toNext.getOutputStream();
        this.in = new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), 1 << 16));
        this.sendBytes = new byte[HEADER + 4 * segmentFloats];
        this.sendView = ByteBuffer.wrap(sendBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.receiveBytes = new byte[4 * segmentFloats];
        this.receiveView = ByteBuffer.wrap(receiveBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void writeHandshake(Socket s, int magic, int size, int rank) throws IOException {
        DataOutputStream d = new DataOutputStream(s.getOutputStream());
        d.writeInt(magic);
        d.writeInt(size);
        d.writeInt(rank);
        d.flush();
    }

    static void readHandshake(Socket s, int magic, int size, int expectedRank, int rank) throws IOException {
        DataInputStream d = new DataInputStream(s.getInputStream());
        int m;
        int theirSize;
        int theirRank;
        try {
            m = d.readInt();
            theirSize = d.readInt();
            theirRank = d.readInt();
        } catch (SocketTimeoutException e) {
            throw new CollectiveException("rank " + rank + ": the peer at " + s.getRemoteSocketAddress()
                    + " sent no handshake in time");
        }
        if (m != magic) {
            throw new CollectiveException("rank " + rank + ": " + s.getRemoteSocketAddress()
                    + " connected but is not a cnn4j ring rank (bad handshake)");
        }
        if (theirSize != size || theirRank != expectedRank) {
            throw new CollectiveException("rank " + rank + ": expected rank " + expectedRank + " of " + size
                    + " to connect, but rank " + theirRank + " of " + theirSize + " did: the ranks were given"
                    + " different address lists or ranks");
        }
    }

    void writeSegment(long seq, float[] buf, int from, int n) throws IOException {
        sendView.clear();
        sendView.putLong(seq).putInt(4 * n);
        sendView.asFloatBuffer().put(buf, from, n);
        out.write(sendBytes, 0, HEADER + 4 * n);
    }

    void writeAbort(long seq, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, MAX_REASON_BYTES);
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 + len).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seq).putInt(ABORT).putInt(len).put(text, 0, len);
        out.write(b.array());
        out.flush();
    }

    /**
     * Reads the next segment of operation {@code seq}, which must hold {@code n} floats. When nothing arrives within
     * the socket timeout, calls {@code onSilence} (which tells the next rank that this one is alive and waiting) and
     * waits {@code graceMillis} more for the frame that explains: an abort, or a waiting notice from the previous
     * rank (which restarts the grace period, as the fault lies further back and its abort is on the way).
     */
    float[] readSegment(long seq, int n, long graceMillis, Runnable onSilence) throws IOException {
        int normalTimeout = fromPrev.getSoTimeout();
        boolean silent = false;
        try {
            while (true) {
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException e) {
                    if (silent) {
                        throw new PeerSilent();
                    }
                    silent = true;
                    onSilence.run();
                    fromPrev.setSoTimeout((int) graceMillis);
                    continue;
                }
                if (first < 0) {
                    throw new java.io.EOFException();
                }
                byte[] header = new byte[HEADER];
                header[0] = (byte) first;
                in.readFully(header, 1, HEADER - 1);
                ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                long theirSeq = h.getLong();
                int bytes = h.getInt();
                if (bytes == WAITING) {
                    if (silent) {
                        // the previous rank started its own grace period about when this one did: give its abort
                        // (due within one grace period) a second one to arrive
                        fromPrev.setSoTimeout((int) (2 * graceMillis));
                    }
                    continue;
                }
                if (bytes == ABORT) {
                    throw new PeerAbort(readReason());
                }
                if (theirSeq != seq) {
                    throw new ProtocolMismatch("is at collective operation #" + theirSeq + " while this rank is at #"
                            + seq + " (the ranks called different operations)");
                }
                if (bytes != 4 * n) {
                    throw new ProtocolMismatch("sent " + Math.max(0, bytes) / 4 + " floats where " + n
                            + " were expected (the ranks' buffers differ in length)");
                }
                in.readFully(receiveBytes, 0, bytes);
                float[] values = new float[n];
                receiveView.clear();
                receiveView.asFloatBuffer().get(values, 0, n);
                return values;
            }
        } finally {
            if (silent && !fromPrev.isClosed()) {
                fromPrev.setSoTimeout(normalTimeout);
            }
        }
    }

    private String readReason() throws IOException {
        byte[] lenBytes = new byte[4];
        in.readFully(lenBytes);
        int len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (len < 0 || len > MAX_REASON_BYTES) {
            throw new ProtocolMismatch("sent a malformed abort frame");
        }
        byte[] text = new byte[len];
        in.readFully(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Tells the next rank that this one is alive but has heard nothing from its own previous rank. */
    void writeWaiting(long seq) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seq).putInt(WAITING);
        out.write(b.array());
    }
}
