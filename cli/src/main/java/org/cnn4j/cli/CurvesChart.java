package org.cnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cnn4j.train.EpochResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The content of curves.png. Top: loss on a log scale, every step's training loss as a thin line under the train
 * and test loss of each epoch. Bottom: train and test accuracy in percent, as the console prints them. The x axis
 * counts epochs from 1: epoch e's results sit at x = e, the end of its steps, and step k of n in epoch e at
 * x = e - 1 + k / n.
 */
final class CurvesChart {
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);
    private static final Color LIGHT_BLUE = new Color(31, 119, 180, 90);

    private CurvesChart() {
    }

    /** A step's training loss at its position in epochs. */
    record StepPoint(double x, double loss) {
    }

    static JFreeChart create(String title, List<EpochResult> epochs, List<StepPoint> steps) {
        XYSeries stepLoss = new XYSeries("train loss per step");
        for (StepPoint p : steps) {
            if (p.loss() > 0 && Double.isFinite(p.loss())) { // a log axis cannot show 0 or NaN
                stepLoss.add(p.x(), p.loss());
            }
        }
        XYSeries trainLoss = new XYSeries("train loss");
        XYSeries testLoss = new XYSeries("test loss");
        XYSeries trainAcc = new XYSeries("train accuracy");
        XYSeries testAcc = new XYSeries("test accuracy");
        for (EpochResult e : epochs) {
            addPositive(trainLoss, e.epoch(), e.trainLoss());
            addPositive(testLoss, e.epoch(), e.testLoss());
            trainAcc.add(e.epoch(), 100 * e.trainAccuracy());
            testAcc.add(e.epoch(), 100 * e.testAccuracy());
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        double first = stepLoss.isEmpty() ? 1 : Math.min(1, stepLoss.getMinX());
        double last = Math.max(epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1).epoch(),
                stepLoss.isEmpty() ? 1 : stepLoss.getMaxX());
        epochAxis.setRange(first, Math.max(last, first + 1e-9));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        LogAxis lossAxis = new LogAxis("loss (log scale)");
        lossAxis.setSmallestValue(1e-6);
        lossAxis.setNumberFormatOverride(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        plot.add(panel(lossAxis, stepLoss, trainLoss, testLoss), 1);
        NumberAxis accAxis = new NumberAxis("accuracy (%)");
        accAxis.setAutoRangeIncludesZero(false);
        plot.add(panel(accAxis, null, trainAcc, testAcc), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void addPositive(XYSeries series, double x, double y) {
        if (y > 0 && Double.isFinite(y)) {
            series.add(x, y);
        }
    }

    private static XYPlot panel(ValueAxis axis, XYSeries thin, XYSeries train, XYSeries test) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        if (thin != null) {
            data.addSeries(thin);
            renderer.setSeriesPaint(i, LIGHT_BLUE);
            renderer.setSeriesStroke(i, new BasicStroke(1f));
            renderer.setSeriesShapesVisible(i, false);
            i++;
        }
        data.addSeries(train);
        renderer.setSeriesPaint(i, BLUE);
        renderer.setSeriesStroke(i++, new BasicStroke(2f));
        data.addSeries(test);
        renderer.setSeriesPaint(i, ORANGE);
        renderer.setSeriesStroke(i, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /**
     * The step losses of a steps.csv ({@code epoch,step,loss}, epochs and steps from 1), placed by the number of
     * steps each epoch has in the file; an absent file gives none, and unreadable rows are left out.
     */
    static List<StepPoint> readSteps(Path stepsCsv) throws IOException {
        if (!Files.isRegularFile(stepsCsv)) {
            return List.of();
        }
        Map<Integer, List<double[]>> byEpoch = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stepsCsv, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f.length < 3) {
                continue;
            }
            try {
                int epoch = Integer.parseInt(f[0].trim());
                int step = Integer.parseInt(f[1].trim());
                double loss = Double.parseDouble(f[2].trim());
                byEpoch.computeIfAbsent(epoch, e -> new ArrayList<>()).add(new double[] {step, loss});
            } catch (NumberFormatException e) {
                // the header, or a row cut by a kill
            }
        }
        List<StepPoint> points = new ArrayList<>();
        byEpoch.forEach((epoch, rows) -> {
            double n = rows.stream().mapToDouble(r -> r[0]).max().orElse(1);
            for (double[] r : rows) {
                points.add(new StepPoint(epoch - 1 + r[0] / n, r[1]));
            }
        });
        return points;
    }
}
