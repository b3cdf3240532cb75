package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real worker processes on loopback: a working ring, and a crashed rank that the others name. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalLauncherTest {
    @TempDir
    Path logs;

    private int launch(int n, List<String> args, ByteArrayOutputStream err) {
        return LocalLauncher.run(n, LocalLauncher.javaCommand(RingWorkerMain.class.getName(), args),
                Duration.ofSeconds(30), logs, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String log(int rank) throws IOException {
        return Files.readString(logs.resolve("rank-" + rank + ".log"));
    }

    @Test
    void threeWorkersAllReduceTheirRanks() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, launch(3, List.of(), err), err.toString(StandardCharsets.UTF_8));
        for (int r = 0; r < 3; r++) {
            assertTrue(log(r).contains("rank " + r + " sum 6.0"), log(r));
        }
    }

    /** Rank 1 exits right after joining: the others fail naming it, well before the 30 s timeout. */
    @Test
    void aCrashedWorkerIsNamedByTheOthersAndTheLauncher() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        assertEquals(1, launch(3, List.of("die=1"), err));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "the others waited for the timeout");
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("rank 1 (exit 3)"), report);
        for (int r : new int[] {0, 2}) {
            assertTrue(log(r).contains("rank 1 closed the connection"), "rank " + r + ": " + log(r));
        }
    }
}
