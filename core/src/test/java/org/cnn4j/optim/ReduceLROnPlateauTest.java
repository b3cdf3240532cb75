package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.optim.ReduceLROnPlateau.Mode;
import org.cnn4j.optim.ReduceLROnPlateau.Options;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ReduceLROnPlateau's edges, beside PlateauGoldenTest's PyTorch sequences: a metric exactly at the threshold is not
 * an improvement in either threshold mode, the option checks' boundaries, and a change no larger than eps is not
 * applied. The numbers are chosen so that every bound is exact in binary (2 * 0.75, 2 - 0.25, 2 * 1.25, 2 + 0.25).
 */
class ReduceLROnPlateauTest {
    private static Options options(Mode mode, double threshold, boolean relative) {
        return new Options(mode, 0.5, 0, threshold, relative, 0, 0, 0);
    }

    /** A plateau whose best value is 2 (the first metric always improves on the infinity it starts from). */
    private static ReduceLROnPlateau startingAt2(Options options) {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(options);
        assertFalse(plateau.observe(2.0));
        assertEquals(2.0, plateau.best());
        return plateau;
    }

    @Test
    void minModeImprovementMustBeatTheRelativeOrAbsoluteBound() {
        // relative: better below 2 * (1 - 0.25) = 1.5; absolute: better below 2 - 0.25 = 1.75
        ReduceLROnPlateau rel = startingAt2(options(Mode.MIN, 0.25, true));
        assertTrue(rel.observe(1.5), "1.5 equals the relative bound: no improvement, patience 0 is exceeded");
        assertEquals(2.0, rel.best());
        assertFalse(rel.observe(1.49));
        assertEquals(1.49, rel.best());

        ReduceLROnPlateau abs = startingAt2(options(Mode.MIN, 0.25, false));
        assertTrue(abs.observe(1.75), "1.75 equals the absolute bound");
        assertFalse(abs.observe(1.6), "1.6 is below 1.75 (though not below the relative 1.5)");
        assertEquals(1.6, abs.best());
    }

    @Test
    void maxModeImprovementMustBeatTheRelativeOrAbsoluteBound() {
        // relative: better above 2 * 1.25 = 2.5; absolute: better above 2 + 0.25 = 2.25
        ReduceLROnPlateau rel = startingAt2(options(Mode.MAX, 0.25, true));
        assertTrue(rel.observe(2.5), "2.5 equals the relative bound");
        assertTrue(rel.observe(2.4), "2.4 is above the absolute bound only");
        assertFalse(rel.observe(2.51));
        assertEquals(2.51, rel.best());

        ReduceLROnPlateau abs = startingAt2(options(Mode.MAX, 0.25, false));
        assertTrue(abs.observe(2.25), "2.25 equals the absolute bound");
        assertFalse(abs.observe(2.4));
        assertEquals(2.4, abs.best());
    }

    @Test
    void bestStartsAtTheWorstInfinity() {
        assertEquals(Double.POSITIVE_INFINITY, new ReduceLROnPlateau(Options.of(Mode.MIN, 0.1, 10)).best());
        assertEquals(Double.NEGATIVE_INFINITY, new ReduceLROnPlateau(Options.of(Mode.MAX, 0.1, 10)).best());
    }

    @Test
    void optionsOfGivesPyTorchsDefaults() {
        Options o = Options.of(Mode.MAX, 0.2, 3);
        assertEquals(new Options(Mode.MAX, 0.2, 3, 1e-4, true, 0, 0, 1e-8), o);
        assertSame(o, new ReduceLROnPlateau(o).options());
    }

    @Test
    void optionChecksAcceptTheirBoundsAndRejectWhatIsOutside() {
        // zero is allowed for patience, threshold, cooldown, min lr and eps
        new Options(Mode.MIN, 0.5, 0, 0, true, 0, 0, 0);
        for (double factor : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new Options(Mode.MIN, factor, 0, 0, true, 0, 0, 0),
                    "factor " + factor);
        }
        assertThrows(IllegalArgumentException.class, () -> new Options(null, 0.5, 0, 0, true, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Options(Mode.MIN, 0.5, -1, 0, true, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Options(Mode.MIN, 0.5, 0, -1e-9, true, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Options(Mode.MIN, 0.5, 0, 0, true, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Options(Mode.MIN, 0.5, 0, 0, true, 0, -1e-9, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Options(Mode.MIN, 0.5, 0, 0, true, 0, 0, -1e-9));
        assertTrue(e.getMessage().startsWith("ReduceLROnPlateau: expected"), e.getMessage());
    }

    @Test
    void stepReportsAReductionAndSkipsOneNoLargerThanEps() {
        try (Tensor p = Tensor.zeros(new ShapeOnlyBackend(), Shape.of(1));
             Optimizer sgd = new SGD(SGD.Options.of(1.0), List.of(ParamGroup.of(List.of(p))))) {
            // factor 0.5 from 1.0 changes the rate by exactly 0.5 = eps: not applied, yet the reduction was due
            ReduceLROnPlateau plateau = new ReduceLROnPlateau(new Options(Mode.MIN, 0.5, 0, 0, true, 0, 0, 0.5));
            assertFalse(plateau.step(1.0, sgd));
            assertTrue(plateau.step(1.0, sgd));
            assertEquals(1.0, sgd.getLr());
            // with eps just below the change it is applied
            ReduceLROnPlateau applied = new ReduceLROnPlateau(new Options(Mode.MIN, 0.5, 0, 0, true, 0, 0, 0.49));
            assertFalse(applied.step(1.0, sgd));
            assertEquals(1.0, sgd.getLr());
            assertTrue(applied.step(1.0, sgd));
            assertEquals(0.5, sgd.getLr());
        }
    }
}
