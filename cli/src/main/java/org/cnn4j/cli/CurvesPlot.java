package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.train.EpochResult;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Draws curves.png ({@link CurvesChart}) beside the run's steps.csv. */
final class CurvesPlot {
    private CurvesPlot() {
    }

    static void write(Path file, String title, List<EpochResult> epochs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = CurvesChart.create(title, epochs, CurvesChart.readSteps(file.resolveSibling("steps.csv")));
        AtomicFiles.writeStream(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
    }
}
