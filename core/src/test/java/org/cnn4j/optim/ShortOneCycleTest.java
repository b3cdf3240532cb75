package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * OneCycleLR on runs of 1 to 5 steps, where the warm-up would end before step 0, against PyTorch
 * (fixture from tools/golden/make_train_fixtures.py). It used to throw for 2 and 3 steps.
 */
class ShortOneCycleTest {
    @Test
    void matchesPyTorchOnVeryShortRuns() throws IOException {
        JsonNode golden;
        try (InputStream in = ShortOneCycleTest.class.getResourceAsStream("/golden/train_schedules.json")) {
            golden = new ObjectMapper().readTree(in).get("one_cycle");
        }
        for (int total = 1; total <= 5; total++) {
            JsonNode expected = golden.get(Integer.toString(total));
            OneCycleLR schedule = new OneCycleLR(0.1, total);
            assertEquals(total, expected.size());
            for (int step = 0; step < total; step++) {
                double want = expected.get(step).asDouble();
                // both sides evaluate the same closed form in double precision: only rounding differs
                assertEquals(want, schedule.lr(step), 1e-15 + 1e-12 * want, total + " steps, step " + step);
            }
        }
    }

    @Test
    void warmupEndingExactlyAtStepZeroStartsAtThePeak() {
        OneCycleLR schedule = new OneCycleLR(1.0, 4, 0.25, 25, 1e4);
        assertEquals(1.0, schedule.lr(0));
        assertEquals(1.0 / 25 / 1e4, schedule.lr(3), 1e-15);
    }
}
