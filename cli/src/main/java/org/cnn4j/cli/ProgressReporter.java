package org.cnn4j.cli;

import java.io.PrintStream;
import java.util.Locale;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.TrainListener;

/**
 * Shows training progress: a live progress bar (images/s, loss, ETA) on a terminal, and plain lines about every
 * 10% of an epoch otherwise (logs, CI), plus one summary line per epoch either way.
 */
final class ProgressReporter implements TrainListener {
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private int epochs;
    private long epochStart;

    ProgressReporter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        this.epochs = epochs;
        this.epochStart = System.nanoTime();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setUnit(" steps", 1).continuousUpdate().build();
        }
    }

    @Override
    public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %s %5.0f img/s", loss(loss), imagesPerSecond));
            return;
        }
        int every = Math.max(1, steps / 10);
        if (step % every == 0 || step == steps) {
            double elapsed = (System.nanoTime() - epochStart) / 1e9;
            double eta = elapsed / step * (steps - step);
            out.printf(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %s  %.0f img/s  eta %s%n", epoch + 1, epochs,
                    step, steps, loss(loss), imagesPerSecond, seconds(eta));
        }
    }

    @Override
    public void evaluationStarted(int epoch, int batches) {
        closeBar();
    }

    @Override
    public void epochFinished(EpochResult r) {
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %s acc %.2f%%  |  test loss %s acc %.2f%% top-5 %.2f%%"
                        + "  |  %.1fs, %.0f img/s, lr %.3g%n", r.epoch(), epochs, loss(r.trainLoss()),
                100 * r.trainAccuracy(), loss(r.testLoss()), 100 * r.testAccuracy(), 100 * r.testTop5Accuracy(),
                r.seconds(), r.imagesPerSecond(), r.lr());
    }

    @Override
    public void stepSkipped(int epoch, int step, String reason) {
        closeBar();
        out.printf(Locale.ROOT, "epoch %d step %d skipped: %s%n", epoch + 1, step, reason);
    }

    @Override
    public void note(String message) {
        closeBar();
        out.println(message);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Four decimals for ordinary losses; a diverged one (1e17) in scientific notation, not 18 digits. */
    static String loss(double v) {
        return String.format(Locale.ROOT, Math.abs(v) < 1e4 ? "%.4f" : "%.3g", v);
    }

    static String seconds(double s) {
        long t = Math.round(s);
        return t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
