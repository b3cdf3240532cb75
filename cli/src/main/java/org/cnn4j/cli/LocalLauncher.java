package org.cnn4j.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cnn4j.distributed.RingEnvironment;

/**
 * Starts {@code n} worker processes on this machine, like torchrun: each runs the same command with its rank, the
 * ring's loopback addresses and the collective timeout in its environment ({@link RingEnvironment}). When a worker
 * fails, the others fail within the collective timeout naming it (the ring tells them); any still running after
 * that and a grace period are killed. Exit code 0 when every worker succeeded, else 1 after naming the failed ranks.
 */
final class LocalLauncher {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private LocalLauncher() {
    }

    /** The command that runs {@code mainClass} with {@code args} in a JVM like this one (same options, classpath). */
    static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-javaagent")) {
                cmd.add(option);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs {@code command} as ranks 0..n-1 and waits for all of them.
     *
     * @param logDir where rank r's output goes ({@code rank-r.log}), or null for this process's own streams
     */
    static int run(int n, List<String> command, Duration timeout, Path logDir, PrintStream err) {
        List<InetSocketAddress> addresses = freeLoopbackAddresses(n);
        List<Process> workers = new ArrayList<>();
        Thread killer = new Thread(() -> workers.forEach(Process::destroyForcibly), "cnn4j-launcher-cleanup");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            for (int rank = 0; rank < n; rank++) {
                ProcessBuilder pb = new ProcessBuilder(command);
                pb.environment().putAll(new RingEnvironment(rank, addresses, timeout).toEnv());
                if (logDir == null) {
                    pb.inheritIO();
                } else {
                    File log = logDir.resolve("rank-" + rank + ".log").toFile();
                    pb.redirectErrorStream(true).redirectOutput(log);
                }
                try {
                    workers.add(pb.start());
                } catch (IOException e) {
                    workers.forEach(Process::destroyForcibly);
                    err.println("could not start worker " + rank + ": " + e.getMessage());
                    return 1;
                }
            }
            return await(workers, timeout, err);
        } finally {
            workers.forEach(Process::destroyForcibly);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static int await(List<Process> workers, Duration timeout, PrintStream err) {
        int n = workers.size();
        Integer[] exit = new Integer[n];
        long firstFailure = 0;
        boolean killed = false;
        while (true) {
            boolean running = false;
            for (int r = 0; r < n; r++) {
                if (exit[r] == null && !workers.get(r).isAlive()) {
                    exit[r] = workers.get(r).exitValue();
                    if (exit[r] != 0 && firstFailure == 0) {
                        firstFailure = System.nanoTime();
                    }
                }
                running |= exit[r] == null;
            }
            if (!running) {
                break;
            }
            if (firstFailure != 0 && !killed
                    && System.nanoTime() - firstFailure > timeout.plus(GRACE).toNanos()) {
                for (int r = 0; r < n; r++) {
                    if (exit[r] == null) {
                        err.println("rank " + r + " did not stop within the collective timeout after another rank"
                                + " failed; killing it");
                        workers.get(r).destroyForcibly();
                    }
                }
                killed = true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        StringBuilder failed = new StringBuilder();
        for (int r = 0; r < n; r++) {
            if (exit[r] != 0) {
                failed.append(failed.length() == 0 ? "" : ", ").append("rank ").append(r).append(" (exit ")
                        .append(exit[r]).append(')');
            }
        }
        if (failed.length() == 0) {
            return 0;
        }
        err.println("distributed run failed: " + failed);
        return 1;
    }

    /** Addresses of n free loopback ports (free when probed; a worker that loses one to a race fails to listen). */
    private static List<InetSocketAddress> freeLoopbackAddresses(int n) {
        List<ServerSocket> probes = new ArrayList<>();
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                probes.add(s);
                out.add(InetSocketAddress.createUnresolved("127.0.0.1", s.getLocalPort()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free loopback ports for the workers", e);
        } finally {
            for (ServerSocket s : probes) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a probe that does not close leaves its port taken; the worker then names it
                }
            }
        }
    }
}
