package org.cnn4j.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ring of processes over TCP: rank r sends to rank r+1 and receives from rank r-1 (mod n), one connection each
 * way. All-reduce is the bandwidth-optimal ring: a reduce-scatter then an all-gather, each n-1 steps over chunks of
 * length/n, so every rank sends and receives 2(n-1)/n of the buffer whatever n is. Chunks travel in segments of
 * {@value #SEGMENT_FLOATS} floats and a segment is forwarded as soon as it has been received and added, so
 * sending, receiving and adding overlap (a sender thread writes while this thread reads).
 *
 * <p>Failure: a read that waits longer than the timeout, a closed connection, or a frame for another operation
 * fails this rank, which tells the next rank why (an abort frame) before closing, so the news travels round the
 * ring and every live rank fails naming the rank at fault.
 */
public final class TcpRingCollective implements Collective {
    /** Floats per frame: large enough to amortise the 8-byte header, small enough to pipeline. */
    public static final int SEGMENT_FLOATS = 64 * 1024;
    private static final int MAGIC = 0x434e4e34; // "CNN4"
    private static final long GRACE_MILLIS = 2000;

    private final int rank;
    private final int size;
    private final Duration timeout;
    private final Socket toNext;
    private final Socket fromPrev;
    private final RingLink link;
    private final ExecutorService sender;
    private long operations;
    private String broken;

    private TcpRingCollective(int rank, int size, Duration timeout, Socket toNext, Socket fromPrev)
            throws IOException {
        this.rank = rank;
        this.size = size;
        this.timeout = timeout;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        this.link = size == 1 ? null : new RingLink(toNext, fromPrev, SEGMENT_FLOATS);
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cnn4j-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the ring: listens on the port of {@code addresses.get(rank)} (all interfaces), connects to the next rank
     * (retrying until it listens) and accepts the previous one, all within {@code timeout}.
     */
    public static TcpRingCollective connect(int rank, List<InetSocketAddress> addresses, Duration timeout) {
        checkRank(rank, addresses);
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(bindAddress(addresses.get(rank)));
        } catch (IOException e) {
            throw new CollectiveException("rank " + rank + ": cannot listen on port " + addresses.get(rank).getPort()
                    + ": " + e.getMessage(), e);
        }
        return connect(rank, addresses, listener, timeout);
    }

    /** A loopback rank address listens on loopback only; any other on every interface (its host may be a name). */
    private static InetSocketAddress bindAddress(InetSocketAddress address) {
        try {
            java.net.InetAddress host = java.net.InetAddress.getByName(address.getHostString());
            if (host.isLoopbackAddress()) {
                return new InetSocketAddress(host, address.getPort());
            }
        } catch (java.net.UnknownHostException e) {
            // listen everywhere; connecting to this name fails later with a message naming it
        }
        return new InetSocketAddress(address.getPort());
    }

    /** Joins the ring with a listener already bound to this rank's address (closed here once connected). */
    public static TcpRingCollective connect(int rank, List<InetSocketAddress> addresses, ServerSocket listener,
                                            Duration timeout) {
        checkRank(rank, addresses);
        int size = addresses.size();
        int next = (rank + 1) % size;
        int prev = (rank + size - 1) % size;
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket out = null;
        Socket in = null;
        try (listener) {
            if (size == 1) {
                return new TcpRingCollective(rank, 1, timeout, null, null);
            }
            out = connectWithRetry(rank, next, addresses.get(next), deadline);
            RingLink.writeHandshake(out, MAGIC, size, rank);
            listener.setSoTimeout(remainingMillis(rank, deadline, "rank " + prev + " did not connect"));
            try {
                in = listener.accept();
            } catch (SocketTimeoutException e) {
                throw new CollectiveException("rank " + rank + ": rank " + prev + " did not connect within "
                        + timeout.toMillis() + " ms (is it running, and is its address right?)");
            }
            in.setSoTimeout(remainingMillis(rank, deadline, "rank " + prev + " sent no handshake"));
            RingLink.readHandshake(in, MAGIC, size, prev, rank);
            configure(out, timeout);
            configure(in, timeout);
            return new TcpRingCollective(rank, size, timeout, out, in);
        } catch (IOException e) {
            closeQuietly(out);
            closeQuietly(in);
            throw new CollectiveException("rank " + rank + ": joining the ring failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(out);
            closeQuietly(in);
            throw e;
        }
    }

    /** Parses "host:port,host:port,..." (rank order). */
    public static List<InetSocketAddress> parseAddresses(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("rank address '" + s + "' is not host:port");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rank address '" + s + "' has a port that is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("rank address '" + s + "': port must be 1..65535");
            }
            out.add(InetSocketAddress.createUnresolved(s.substring(0, colon), port));
        }
        return out;
    }

    private static void checkRank(int rank, List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("ring: expected at least one rank address");
        }
        if (rank < 0 || rank >= addresses.size()) {
            throw new IllegalArgumentException("ring: rank " + rank + " outside 0.." + (addresses.size() - 1));
        }
    }

    private static Socket connectWithRetry(int rank, int next, InetSocketAddress address, long deadline)
            throws IOException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                InetSocketAddress resolved = address.isUnresolved()
                        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
                s.connect(resolved, remainingMillis(rank, deadline, "rank " + next + " is not listening"));
                return s;
            } catch (IOException e) {
                last = e;
                closeQuietly(s);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CollectiveException("rank " + rank + ": interrupted while connecting to rank " + next);
                }
            }
        }
        throw new CollectiveException("rank " + rank + ": rank " + next + " at " + address
                + " was not listening before the timeout" + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private static int remainingMillis(int rank, long deadline, String what) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new CollectiveException("rank " + rank + ": " + what + " before the timeout");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void configure(Socket s, Duration timeout) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        s.setSendBufferSize(1 << 20);
        s.setReceiveBufferSize(1 << 20);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return size;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    private int next() {
        return (rank + 1) % size;
    }

    private int prev() {
        return (rank + size - 1) % size;
    }

    @Override
    public synchronized void allReduce(float[] buffer, int offset, int length, ReduceOp op) {
        Collective.checkRange(buffer, offset, length);
        run("allReduce", () -> ringAllReduce(buffer, offset, length, op));
    }

    @Override
    public synchronized void broadcast(float[] buffer, int offset, int length, int root) {
        Collective.checkRange(buffer, offset, length);
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException("broadcast: root " + root + " outside 0.." + (size - 1));
        }
        run("broadcast", () -> ringBroadcast(buffer, offset, length, root));
    }

    @Override
    public synchronized void barrier() {
        float[] token = new float[size];
        run("barrier", () -> ringAllReduce(token, 0, size, ReduceOp.SUM));
    }

    private interface Body {
        void run() throws IOException, InterruptedException, ExecutionException, TimeoutException;
    }

    /** Runs one operation; on any failure breaks the ring, tells the next rank why, and throws naming the cause. */
    private void run(String what, Body body) {
        if (broken != null) {
            throw new CollectiveException("rank " + rank + ": the ring is broken (" + broken + ")");
        }
        if (size == 1) {
            return; // one rank: a sum or average of one buffer is the buffer
        }
        long seq = ++operations;
        try {
            body.run();
        } catch (RingLink.PeerAbort e) {
            fail(what, seq, "rank " + prev() + " reports: " + e.getMessage());
        } catch (RingLink.PeerSilent e) {
            fail(what, seq, "rank " + prev() + " sent nothing for " + timeout.toMillis() + " ms (dead or hung)");
        } catch (RingLink.ProtocolMismatch e) {
            fail(what, seq, "rank " + prev() + " " + e.getMessage());
        } catch (TimeoutException e) {
            fail(what, seq, "rank " + next() + " accepted no data for " + timeout.toMillis() + " ms (dead or hung)");
        } catch (ExecutionException e) {
            fail(what, seq, "sending to rank " + next() + " failed (" + e.getCause().getMessage()
                    + "); it died or left the job");
        } catch (IOException e) {
            String why = e instanceof java.io.EOFException
                    ? "rank " + prev() + " closed the connection (it died or left the job)"
                    : "the connection from rank " + prev() + " broke (" + e.getMessage() + ")";
            fail(what, seq, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(what, seq, "rank " + rank + " was interrupted");
        }
    }

    private void fail(String what, long seq, String why) {
        broken = why;
        String message = "rank " + rank + ": " + why;
        Future<?> abort = sender.submit(() -> {
            link.writeAbort(seq, message);
            return null;
        });
        try {
            abort.get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the next rank is gone too; closing below is all that is left
        }
        close();
        throw new CollectiveException(what + " #" + seq + " failed on rank " + rank + ": " + why);
    }

    private void ringAllReduce(float[] buf, int offset, int length, ReduceOp op)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long seq = operations;
        Future<?> lastSend = sendChunk(seq, buf, offset, length, rank);
        int steps = 2 * (size - 1);
        for (int t = 0; t < steps; t++) {
            int chunk = Math.floorMod(rank - t - 1, size);
            int from = RingOrder.chunkStart(chunk, length, size);
            int to = RingOrder.chunkStart(chunk + 1, length, size);
            boolean reducing = t < size - 1;
            boolean finalStep = t == size - 2;
            for (int s = from; s < to; s += SEGMENT_FLOATS) {
                int n = Math.min(SEGMENT_FLOATS, to - s);
                float[] in = receive(seq, n);
                int base = offset + s;
                if (reducing) {
                    for (int i = 0; i < n; i++) {
                        buf[base + i] = in[i] + buf[base + i];
                    }
                    if (finalStep && op == ReduceOp.AVERAGE) {
                        for (int i = 0; i < n; i++) {
                            buf[base + i] = buf[base + i] / size;
                        }
                    }
                } else {
                    System.arraycopy(in, 0, buf, base, n);
                }
                if (t < steps - 1) {
                    lastSend = sendSegment(seq, buf, base, n);
                }
            }
        }
        awaitSent(lastSend);
    }

    private void ringBroadcast(float[] buf, int offset, int length, int root)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long seq = operations;
        Future<?> lastSend = null;
        if (rank == root) {
            lastSend = sendChunk(seq, buf, offset, length, -1);
        } else {
            boolean forward = next() != root;
            for (int s = 0; s < length; s += SEGMENT_FLOATS) {
                int n = Math.min(SEGMENT_FLOATS, length - s);
                float[] in = receive(seq, n);
                System.arraycopy(in, 0, buf, offset + s, n);
                if (forward) {
                    lastSend = sendSegment(seq, buf, offset + s, n);
                }
            }
        }
        awaitSent(lastSend);
    }

    /** Queues the segments of ring chunk {@code chunk} (-1: the whole range) for sending; returns the last. */
    private Future<?> sendChunk(long seq, float[] buf, int offset, int length, int chunk) {
        int from = chunk < 0 ? 0 : RingOrder.chunkStart(chunk, length, size);
        int to = chunk < 0 ? length : RingOrder.chunkStart(chunk + 1, length, size);
        Future<?> last = null;
        for (int s = from; s < to; s += SEGMENT_FLOATS) {
            last = sendSegment(seq, buf, offset + s, Math.min(SEGMENT_FLOATS, to - s));
        }
        return last;
    }

    private Future<?> sendSegment(long seq, float[] buf, int from, int n) {
        return sender.submit(() -> {
            link.writeSegment(seq, buf, from, n);
            return null;
        });
    }

    private float[] receive(long seq, int n) throws IOException {
        return link.readSegment(seq, n, GRACE_MILLIS, () -> sender.submit(() -> {
            link.writeWaiting(seq);
            return null;
        }));
    }

    private void awaitSent(Future<?> last) throws InterruptedException, ExecutionException, TimeoutException {
        if (last != null) {
            last.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        sender.shutdownNow();
        closeQuietly(toNext);
        closeQuietly(fromPrev);
        if (broken == null) {
            broken = "closed";
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket that failed; nothing to report beyond the original error
            }
        }
    }
}
