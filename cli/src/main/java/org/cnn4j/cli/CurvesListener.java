package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cnn4j.train.EpochResult;
import org.cnn4j.train.RunInfo;
import org.cnn4j.train.TrainListener;

/**
 * Redraws curves.png in the run folder after every epoch, from the whole history (resumed epochs too); a plot
 * that cannot be drawn is a warning ({@link CurvesPlot}), not a failure.
 */
final class CurvesListener implements TrainListener {
    private final Path dir;
    private final String title;
    private final List<EpochResult> history = new ArrayList<>();

    CurvesListener(Path dir, String title) {
        this.dir = dir;
        this.title = title;
    }

    @Override
    public void runStarted(RunInfo info) {
        history.clear();
        history.addAll(info.history());
    }

    @Override
    public void epochFinished(EpochResult result) {
        history.add(result);
        CurvesPlot.write(dir.resolve("curves.png"), title, history);
    }
}
