package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cnn4j.train.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesPlotTest {
    private static final List<EpochResult> HISTORY = List.of(
            new EpochResult(1, 0.01, 1.0, 0.6, 0.9, 0.65, 0.9, 1.0, 100),
            new EpochResult(2, 0.01, 0.8, 0.7, 0.7, 0.72, 0.95, 1.0, 100));

    @Test
    void drawsThePlot(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        assertTrue(CurvesPlot.write(png, "test", HISTORY));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void aPlotThatCannotBeWrittenIsAWarningNotAFailure(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertFalse(CurvesPlot.write(notAFolder.resolve("curves.png"), "test", HISTORY));
    }
}
