package org.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final float NAN = Float.NaN;

    @Test
    void allNanLogitsAreNeverCorrect() {
        ClassificationMetrics m = new ClassificationMetrics(3);
        m.update(new float[] {NAN, NAN, NAN, NAN, NAN, NAN}, new int[] {0, 2}, Double.NaN);
        assertEquals(0.0, m.top1());
        assertEquals(0.0, m.top5());
        assertEquals(2, m.count());
        assertEquals(2, m.nonFiniteCount());
        assertArrayEquals(new long[] {1, 0, 1}, m.nonFinite());
        assertTrue(Double.isNaN(m.loss()));
        for (long[] row : m.confusion()) {
            assertArrayEquals(new long[3], row, "a row without a prediction is not in the matrix");
        }
    }

    @Test
    void oneNanOrInfiniteLogitMakesTheRowWrongWhateverTheOthers() {
        ClassificationMetrics m = new ClassificationMetrics(3);
        // label 1 has the largest finite logit in every row, but each row holds one non-finite value
        m.update(new float[] {NAN, 5, 0, 0, 5, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5, 0},
                new int[] {1, 1, 1}, 1.0);
        assertEquals(0.0, m.top1());
        assertEquals(0.0, m.top5());
        assertEquals(3, m.nonFiniteCount());
    }

    @Test
    void accuracyAgreesWithTheConfusionMatrixDiagonal() {
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.update(new float[] {2, 1, 0, 3, 1, 2, NAN, 0}, new int[] {0, 1, 0, 1}, 0.5);
        long diagonal = m.confusion()[0][0] + m.confusion()[1][1];
        assertEquals(2, diagonal);
        assertEquals(diagonal / 4.0, m.top1());
        assertEquals(0.5, m.loss());
    }

    @Test
    void tiesGoToTheLowerClassAsArgmaxDoes() {
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.update(new float[] {1, 1, 1, 1}, new int[] {0, 1}, 0);
        assertEquals(0.5, m.top1());
        assertEquals(2, m.confusion()[0][0] + m.confusion()[1][0]);
    }

    @Test
    void badLabelIsAClearError() {
        ClassificationMetrics m = new ClassificationMetrics(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.update(new float[] {1, 2}, new int[] {7}, 0));
        assertTrue(e.getMessage().contains("label 7"), e.getMessage());
    }
}
