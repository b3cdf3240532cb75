package org.cnn4j.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Test helper: runs one function per rank on its own thread and collects each rank's result or exception. */
public final class Ranks {
    private Ranks() {
    }

    public interface RankBody<T> {
        T run(Collective c) throws Exception;
    }

    /** What one rank ended with. */
    public record Outcome<T>(T value, Throwable error) {
        public T get() {
            if (error != null) {
                throw new AssertionError("rank failed: " + error, error);
            }
            return value;
        }
    }

    /** Runs {@code body} on every rank of collectives made by {@code join(rank)} on that rank's thread. */
    public static <T> List<Outcome<T>> run(int n, IntFunction<Collective> join, RankBody<T> body) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (Collective c = join.apply(rank)) {
                        return body.run(c);
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(new Outcome<>(f.get(), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome<>(null, e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    public static <T> List<Outcome<T>> inProcess(int n, Duration timeout, RankBody<T> body) {
        InProcessGroup group = InProcessGroup.create(n, timeout);
        return run(n, group::member, body);
    }

    /** A TCP ring on loopback with listeners bound to free ports before any rank starts. */
    public static <T> List<Outcome<T>> tcp(int n, Duration timeout, RankBody<T> body) {
        List<ServerSocket> listeners = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (int r = 0; r < n; r++) {
                ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                listeners.add(s);
                addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run(n, rank -> TcpRingCollective.connect(rank, addresses, listeners.get(rank), timeout), body);
    }
}
