package org.cnn4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.cnn4j.train.TrainListener;

/**
 * Appends every optimizer step's loss to steps.csv ({@code epoch,step,loss}), e.g. to compare the first losses
 * of a CPU and a GPU run step by step. A resumed run appends to the same file.
 */
final class StepLog implements TrainListener, AutoCloseable {
    private final BufferedWriter out;

    StepLog(Path file) throws IOException {
        boolean fresh = !Files.exists(file);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (fresh) {
            out.write("epoch,step,loss\n");
        }
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%d,%.8g%n", epoch + 1, step, loss));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write steps.csv: " + e.getMessage(), e);
        }
    }

    @Override
    public void epochFinished(org.cnn4j.train.EpochResult result) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write steps.csv: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
