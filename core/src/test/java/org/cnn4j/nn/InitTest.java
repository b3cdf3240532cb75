package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Fan and gain rules of torch.nn.init (values drawn are checked in the module contract). */
class InitTest {
    @Test
    void fansFollowTorch() {
        assertArrayEquals(new long[] {3 * 9, 64 * 9}, Init.fans(Shape.of(64, 3, 3, 3)));
        assertArrayEquals(new long[] {512, 1000}, Init.fans(Shape.of(1000, 512)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Shape.of(5)));
        assertTrue(e.getMessage().contains("[5]"));
    }

    @Test
    void gainsFollowTorch() {
        assertEquals(Math.sqrt(2), Init.calculateGain(Init.Nonlinearity.RELU, 0), 1e-15);
        assertEquals(5.0 / 3, Init.calculateGain(Init.Nonlinearity.TANH, 0), 1e-15);
        // kaiming_uniform(a = sqrt 5) gives bound gain*sqrt(3/fan_in) = 1/sqrt(fan_in)
        double gain = Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5));
        assertEquals(1.0, gain * Math.sqrt(3), 1e-12);
    }
}
