package org.cnn4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cnn4j.io.AtomicFiles;

/**
 * Streams every step's loss to steps.csv ({@code epoch,step,loss}, epochs from 1), e.g. to compare the first
 * losses of a CPU and a GPU run step by step. Rows reach the file every {@value #FLUSH_EVERY} steps and at the
 * end of each epoch, so a killed run keeps nearly all of them. A resumed run keeps the rows of the epochs its
 * checkpoint holds, drops those of the epoch that was cut short, and appends.
 */
public final class StepLog implements TrainListener, AutoCloseable {
    static final String HEADER = "epoch,step,loss";
    static final int FLUSH_EVERY = 50;

    private final Path file;
    private final BufferedWriter out;
    private int sinceFlush;

    /**
     * Opens {@code file}: a fresh log when {@code epochsDone} is 0, else the rows of epochs 1..epochsDone of an
     * existing log are kept (a missing or unreadable one starts over with the header).
     */
    public StepLog(Path file, int epochsDone) throws IOException {
        this.file = file;
        AtomicFiles.writeString(file, kept(file, epochsDone));
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String kept(Path file, int epochsDone) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        if (epochsDone == 0 || !Files.isRegularFile(file)) {
            return sb.toString();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return sb.toString();
        }
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            try {
                if (comma > 0 && Integer.parseInt(line.substring(0, comma)) <= epochsDone) {
                    sb.append(line).append('\n');
                }
            } catch (NumberFormatException e) {
                // a row cut by a kill in the middle of a write: dropped
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%d,%.8g%n", epoch + 1, step, loss));
            if (++sinceFlush >= FLUSH_EVERY) {
                flushNow();
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        flush();
    }

    /** Writes the buffered rows to the file (also safe from a shutdown hook). */
    public synchronized void flush() {
        try {
            flushNow();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void flushNow() throws IOException {
        out.flush();
        sinceFlush = 0;
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
