package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LR sequences against PyTorch's schedulers (fixture from tools/golden/make_optim_fixtures.py, base lr 0.1). */
class LrScheduleTest {
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = LrScheduleTest.class.getResourceAsStream("/golden/lr_schedules.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static void assertMatches(String name, LrSchedule schedule) {
        JsonNode expected = golden.get(name);
        assertEquals(true, expected.size() > 5, name + " fixture");
        for (int step = 0; step < expected.size(); step++) {
            double want = expected.get(step).asDouble();
            assertEquals(want, schedule.lr(step), 1e-12 + 1e-9 * Math.abs(want), name + " at step " + step);
        }
    }

    @Test
    void stepLr() {
        assertMatches("step_lr", new StepLR(0.1, 3, 0.5));
    }

    @Test
    void multiStepLr() {
        assertMatches("multi_step_lr", new MultiStepLR(0.1, new int[] {5, 2, 9}, 0.1));
    }

    @Test
    void cosineAnnealingLr() {
        assertMatches("cosine_annealing_lr", new CosineAnnealingLR(0.1, 10, 0.001));
    }

    @Test
    void linearWarmupThenCosine() {
        assertMatches("linear_warmup_cosine", new LinearWarmup(new CosineAnnealingLR(0.1, 10), 5, 0.1));
    }

    @Test
    void oneCycleLrWithPyTorchDefaults() {
        assertMatches("one_cycle_lr", new OneCycleLR(0.1, 20));
    }

    @Test
    void handComputedValues() {
        // OneCycle: starts at max/25, peaks at step 0.3*total-1, ends at max/25/1e4
        OneCycleLR one = new OneCycleLR(1.0, 100);
        assertEquals(0.04, one.lr(0), 1e-12);
        assertEquals(1.0, one.lr(29), 1e-12);
        assertEquals(0.04 / 1e4, one.lr(99), 1e-15);
        assertEquals(0.5, new CosineAnnealingLR(1.0, 10).lr(5), 1e-12);
        assertEquals(0.001, new StepLR(1.0, 2).lr(7), 1e-15);
    }

    @Test
    void argumentsAtTheLimitsAreAccepted() {
        assertEquals(0.5, LrSchedule.constant(0.5).lr(3));
        assertEquals(0.04, new OneCycleLR(1.0, 2, 0.9, 25, 1e4).lr(0), 1e-12); // warm-up ends at step 0.8
        assertEquals(1.0 / 25 / 1e4, new OneCycleLR(1.0, 1).lr(0), 1e-15); // one step: annealing only
        assertEquals(1.0, new StepLR(1.0, 1).lr(0));
        assertEquals(1.0, new CosineAnnealingLR(1.0, 1).lr(0));
        assertEquals(1.0, new LinearWarmup(LrSchedule.constant(1), 1, 1.0).lr(0));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(1.0, 10, 0, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(1.0, 10, 1, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(LrSchedule.constant(1), 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(0.1, 20).lr(20));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(LrSchedule.constant(1), 0));
    }

    @Test
    void applySetsEveryGroupsRate() {
        ShapeOnlyBackend shapes = new ShapeOnlyBackend();
        try (Tensor a = Tensor.zeros(shapes, Shape.of(1)); Tensor b = Tensor.zeros(shapes, Shape.of(1));
             Optimizer opt = new SGD(SGD.Options.of(0.1), List.of(ParamGroup.of(List.of(a)),
                     new ParamGroup(List.of(b), 0.02, null)))) {
            LrSchedule quarterPerStep = step -> 0.25 * step;
            quarterPerStep.apply(opt, 3);
            assertEquals(0.75, opt.getLr(0));
            assertEquals(0.75, opt.getLr(1));
        }
    }
}
