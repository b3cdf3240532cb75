package org.cnn4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** The ring this process is a worker of, when a launcher started it. */
    static Optional<RingEnvironment> ring() {
        return RingEnvironment.from(System.getenv());
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
        if (ring.rank() != 0) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
        }
    }
}
