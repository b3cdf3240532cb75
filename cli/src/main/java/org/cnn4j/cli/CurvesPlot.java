package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.train.EpochResult;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

<<<<<<< HEAD
/** Draws curves.png ({@link CurvesChart}) beside the run's steps.csv. */
=======
/**
 * Draws curves.png: loss (top) and accuracy (bottom) per epoch, train and test. The plot is a convenience: when it
 * cannot be drawn (no fonts, a runtime without java.desktop, an unwritable file) a one-line warning is printed and
 * training goes on; metrics.json and metrics.csv hold the same numbers.
 */
>>>>>>> gpu-bundle
final class CurvesPlot {
    private CurvesPlot() {
    }

    /** Writes the plot; returns false, after printing why on standard error, when it could not. */
    static boolean write(Path file, String title, List<EpochResult> epochs) {
        System.setProperty("java.awt.headless", "true");
<<<<<<< HEAD
        JFreeChart chart = CurvesChart.create(title, epochs, CurvesChart.readSteps(file.resolveSibling("steps.csv")));
        AtomicFiles.writeStream(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
    }
=======
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
            XYSeries trainLoss = new XYSeries("train loss");
            XYSeries testLoss = new XYSeries("test loss");
            XYSeries trainAcc = new XYSeries("train accuracy");
            XYSeries testAcc = new XYSeries("test accuracy");
            for (EpochResult e : epochs) {
                trainLoss.add(e.epoch(), e.trainLoss());
                testLoss.add(e.epoch(), e.testLoss());
                trainAcc.add(e.epoch(), e.trainAccuracy());
                testAcc.add(e.epoch(), e.testAccuracy());
            }
            NumberAxis epochAxis = new NumberAxis("epoch");
            epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
            plot.add(panel("loss", trainLoss, testLoss), 1);
            plot.add(panel("accuracy", trainAcc, testAcc), 1);
            JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
            chart.setBackgroundPaint(Color.WHITE);
            AtomicFiles.writeStream(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
        }

        private static XYPlot panel(String label, XYSeries train, XYSeries test) {
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(train);
            data.addSeries(test);
            NumberAxis axis = new NumberAxis(label);
            axis.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            renderer.setSeriesPaint(0, new Color(31, 119, 180));
            renderer.setSeriesPaint(1, new Color(255, 127, 14));
            renderer.setSeriesStroke(0, new BasicStroke(2f));
            renderer.setSeriesStroke(1, new BasicStroke(2f));
            XYPlot plot = new XYPlot(data, null, axis, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            return plot;
        }
    }
>>>>>>> gpu-bundle
}
