package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.cnn4j.train.EpochResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesChartTest {
    @TempDir
    Path dir;

    private static List<EpochResult> twoEpochs() {
        return List.of(new EpochResult(1, 0.1, 2.0, 0.5, 1.5, 0.625, 0.9, 1, 1),
                new EpochResult(2, 0.1, 1.0, 0.75, 0.8, 0.875, 0.95, 1, 1));
    }

    @Test
    void logLossWithStepsAccuracyInPercentAndEpochsFromOne() throws Exception {
        Path steps = dir.resolve("steps.csv");
        Files.writeString(steps, "epoch,step,loss\n1,1,3.0\n1,2,2.5\n1,3,2.0\n1,4,1.8\n2,1,1.5\n2,2,1.2\n2,3,1.1\n"
                + "2,4,0.9\n2,5");
        List<CurvesChart.StepPoint> points = CurvesChart.readSteps(steps);
        assertEquals(8, points.size(), "the cut last row is left out");
        assertEquals(0.25, points.get(0).x(), 1e-12, "step 1 of 4 in epoch 1");
        assertEquals(2.0, points.get(7).x(), 1e-12, "the last step of epoch 2 ends at x = 2");
        JFreeChart chart = CurvesChart.create("t", twoEpochs(), points);
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getXYPlot();
        XYPlot loss = plot.getSubplots().get(0);
        XYPlot accuracy = plot.getSubplots().get(1);
        assertInstanceOf(LogAxis.class, loss.getRangeAxis());
        XYDataset lossData = loss.getDataset();
        assertEquals(3, lossData.getSeriesCount());
        assertEquals("train loss per step", lossData.getSeriesKey(0));
        assertEquals(8, lossData.getItemCount(0));
        assertEquals(1.0, lossData.getXValue(1, 0), "epoch 1's train loss at x = 1");
        XYDataset acc = accuracy.getDataset();
        assertEquals(62.5, acc.getYValue(1, 0), 1e-9, "test accuracy in percent");
        assertEquals(87.5, acc.getYValue(1, 1), 1e-9);
        ValueAxis x = plot.getDomainAxis();
        assertEquals(0.25, x.getLowerBound(), 1e-12, "the axis starts at the first step, before tick 1");
        assertEquals(2.0, x.getUpperBound(), 1e-12);
    }

    @Test
    void withoutStepsTheAxisStartsAtEpochOneAndThePngIsWritten() throws Exception {
        JFreeChart chart = CurvesChart.create("t", twoEpochs(), List.of());
        assertEquals(1.0, chart.getXYPlot().getDomainAxis().getLowerBound(), 1e-12);
        Path png = dir.resolve("curves.png");
        CurvesPlot.write(png, "t", twoEpochs());
        assertEquals(800, ImageIO.read(png.toFile()).getWidth());
        assertTrue(CurvesChart.readSteps(dir.resolve("missing.csv")).isEmpty());
    }
}
