package org.cnn4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.cnn4j.distributed.RingEnvironment;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cnn train --nproc N}: the launcher re-runs the same command line (without {@code --nproc}, with a fixed
 * {@code --out}) as N worker processes; a worker finds its rank in its environment and trains as one rank of the
 * ring. Rank 0 prints and writes; the others stay quiet on standard output (their errors still reach stderr).
 */
final class DistributedTrain {
    private DistributedTrain() {
    }

    /**
     * Held by a {@link TrainWorker} rank from its start until it joins the ring, so ranks that share a JVM (a Spark
     * executor with several task slots) read data and build their models one at a time: model initialisation
     * draws from one seeded generator per JVM, and interleaved draws would make rank 0's weights depend on timing.
     */
    static final ReentrantLock SETUP = new ReentrantLock();

    /** Lets the next rank of this JVM set up (a no-op for worker processes). */
    static void setupDone() {
        if (SETUP.isHeldByCurrentThread()) {
            SETUP.unlock();
        }
    }

    /** A ring given to this thread by an in-JVM launcher (a Spark task), see {@link TrainWorker}. */
    static final ThreadLocal<RingEnvironment> GIVEN = new ThreadLocal<>();

    /** The ring this process (or, for a Spark task, this thread) is a worker of, when a launcher started it. */
    static Optional<RingEnvironment> ring() {
        RingEnvironment given = GIVEN.get();
        return given != null ? Optional.of(given) : RingEnvironment.from(System.getenv());
    }

    /** Starts the workers and waits for them; the exit code is 0 only when every rank succeeded. */
    static int launch(CommandSpec spec, int nproc, Path outDir, Duration timeout) {
        List<String> args = withoutNproc(spec.root().commandLine().getParseResult().originalArgs());
        if (!args.contains("--out") && args.stream().noneMatch(a -> a.startsWith("--out="))) {
            args.add("--out");
            args.add(outDir.toString()); // one folder for the run, not one timestamp per worker
        }
        System.out.println("starting " + nproc + " worker processes (rank 0 reports; collective timeout "
                + timeout.toSeconds() + " s)");
        return LocalLauncher.run(nproc, LocalLauncher.javaCommand(Cnn.class.getName(), args), timeout, null,
                System.err);
    }

    static List<String> withoutNproc(List<String> original) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--nproc")) {
                i++;
            } else if (!a.startsWith("--nproc=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** Ranks other than 0 print nothing on standard output (every rank would print the same progress). */
    static void quietUnlessRankZero(RingEnvironment ring) {
        if (ring.rank() != 0 && GIVEN.get() == null) { // threads of one JVM share System.out: leave it alone
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
        }
    }
}
