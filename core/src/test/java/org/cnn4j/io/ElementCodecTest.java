package org.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ElementCodecTest {
    @Test
    void halfToFloatMatchesKnownValues() {
        assertEquals(1.0f, ElementCodec.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, ElementCodec.halfToFloat((short) 0xc000));
        assertEquals(65504f, ElementCodec.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, ElementCodec.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, ElementCodec.halfToFloat((short) 0x0400));
        assertEquals(0.333251953125f, ElementCodec.halfToFloat((short) 0x3555));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(ElementCodec.halfToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, ElementCodec.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, ElementCodec.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(ElementCodec.halfToFloat((short) 0x7e00)));
    }

    /** Every finite half value against the textbook formula sign * 2^(e-15) * (1 + m/1024), computed in double. */
    @Test
    void halfToFloatMatchesTheDefinitionForEveryFiniteValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int e = (bits >>> 10) & 0x1f, m = bits & 0x3ff;
            if (e == 0x1f) {
                continue;
            }
            double magnitude = e == 0 ? m * Math.pow(2, -24) : (1 + m / 1024.0) * Math.pow(2, e - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals((float) expected, ElementCodec.halfToFloat((short) bits), "half bits " + bits);
        }
    }
}
