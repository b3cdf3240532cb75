package org.cnn4j.distributed;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ring all-reduce on loopback against a plain TCP copy of the same bytes (a benchmark, not a test: run it by hand).
 * Each all-reduce moves 2(n-1)/n of the buffer out of and into every rank, so its "bus bandwidth" (that volume per
 * second) is what to compare with the plain copy's bytes per second.
 * <pre>
 * ./mvnw -B -q -pl core test-compile
 * java -cp core/target/classes:core/target/test-classes org.cnn4j.distributed.RingBenchmark 2 4000000 7
 * </pre>
 */
public final class RingBenchmark {
    private RingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int floats = args.length > 1 ? Integer.parseInt(args[1]) : 4_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        double copy = median(plainCopySeconds(floats, runs));
        List<Ranks.Outcome<double[]>> out = Ranks.tcp(n, Duration.ofSeconds(120), c -> {
            float[] buf = new float[floats];
            Arrays.fill(buf, 1f);
            c.allReduce(buf, ReduceOp.SUM); // warm-up
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                c.barrier();
                long t0 = System.nanoTime();
                c.allReduce(buf, ReduceOp.AVERAGE);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            return seconds;
        });
        double ring = median(out.get(0).get());
        double bytes = 4.0 * floats;
        double busBytes = bytes * 2 * (n - 1) / n;
        System.out.printf(Locale.ROOT, "%d ranks, %.1f MB buffer, median of %d runs%n", n, bytes / 1e6, runs);
        System.out.printf(Locale.ROOT, "plain TCP copy of the buffer: %.1f ms, %.0f MB/s%n", copy * 1e3,
                bytes / copy / 1e6);
        System.out.printf(Locale.ROOT, "ring all-reduce: %.1f ms, bus bandwidth %.0f MB/s (%.2f of the copy)%n",
                ring * 1e3, busBytes / ring / 1e6, (busBytes / ring) / (bytes / copy));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One thread writes the buffer's bytes (converted from floats as the ring does) to another over loopback. */
    private static double[] plainCopySeconds(int floats, int runs) throws Exception {
        double[] seconds = new double[runs + 1];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = new Thread(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    OutputStream out = s.getOutputStream();
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * floats)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    float[] v = new float[floats];
                    for (int i = 0; i <= runs; i++) {
                        b.clear();
                        b.asFloatBuffer().put(v);
                        out.write(b.array());
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            try (Socket s = server.accept()) {
                InputStream in = new DataInputStream(s.getInputStream());
                byte[] bytes = new byte[4 * floats];
                float[] v = new float[floats];
                for (int i = 0; i <= runs; i++) {
                    long t0 = System.nanoTime();
                    ((DataInputStream) in).readFully(bytes);
                    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            writer.join();
        }
        return Arrays.copyOfRange(seconds, 1, runs + 1); // the first is warm-up
    }
}
