package org.cnn4j.train;

import java.nio.file.Path;
import java.util.Locale;

/** Where a run is, kept current by listener events and readable from another thread (a Ctrl-C handler). */
final class FitProgress implements TrainListener {
    private volatile Path lastCheckpoint;
    private volatile int epochs;
    private volatile int epoch = -1;
    private volatile int step;
    private volatile int steps;
    private volatile int saved;

    void started(RunFolder folder, int epochsDone, int totalEpochs) {
        lastCheckpoint = folder == null ? null : folder.resolve(RunFolder.LAST);
        saved = epochsDone;
        epochs = totalEpochs;
    }

    void saved(int epochsDone) {
        saved = epochsDone;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        this.epoch = epoch;
        this.steps = steps;
        this.step = 0;
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        this.step = step;
    }

    String note() {
        if (epoch < 0) {
            return "interrupted before training started";
        }
        String where = String.format(Locale.ROOT, "interrupted in epoch %d of %d at step %d of %d", epoch + 1, epochs,
                step, steps);
        if (lastCheckpoint == null) {
            return where + "; nothing was saved (no output folder)";
        }
        if (saved == 0) {
            return where + "; no epoch finished, so there is no checkpoint to resume";
        }
        return where + "; " + lastCheckpoint + " holds epoch " + saved + ": continue with cnn train --resume "
                + lastCheckpoint;
    }
}
