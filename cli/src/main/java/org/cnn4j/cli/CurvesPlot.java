package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.train.EpochResult;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * Draws curves.png ({@link CurvesChart}) beside the run's steps.csv. The plot is a convenience: when it cannot be
 * drawn (no fonts, a runtime without java.desktop, an unwritable file) a one-line warning is printed and training
 * goes on; metrics.json and metrics.csv hold the same numbers.
 */
final class CurvesPlot {
    private CurvesPlot() {
    }

    /** Writes the plot; returns false, after printing why on standard error, when it could not. */
    static boolean write(Path file, String title, List<EpochResult> epochs) {
        System.setProperty("java.awt.headless", "true");
        try {
            // AWT and JFreeChart are touched only inside Drawing, so a missing module or native library fails here
            Drawing.write(file, title, epochs);
            return true;
        } catch (Throwable t) {  // font and native-library failures surface as Errors (InternalError, UnsatisfiedLinkError)
            System.err.println("cnn train: warning: " + file + " not drawn (" + t.getClass().getSimpleName() + ": "
                    + t.getMessage() + "); the numbers are in metrics.csv");
            return false;
        }
    }

    /** The AWT/JFreeChart part, in its own class so that loading it can fail softly. */
    private static final class Drawing {
        private Drawing() {
        }

        static void write(Path file, String title, List<EpochResult> epochs) throws IOException {
            JFreeChart chart = CurvesChart.create(title, epochs, CurvesChart.readSteps(file.resolveSibling("steps.csv")));
            AtomicFiles.writeStream(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
        }
    }
}
