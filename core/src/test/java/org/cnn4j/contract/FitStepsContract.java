package org.cnn4j.contract;

import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;
import static org.cnn4j.contract.FitFixtures.lines;
import static org.cnn4j.contract.FitFixtures.net;
import static org.cnn4j.contract.FitFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.ScalarOp;
import org.cnn4j.data.Batch;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.train.Fit;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.GradientHook;
import org.cnn4j.train.NonFinitePolicy;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.cnn4j.train.TrainingDivergedException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/** {@link Fit}'s steps: non-finite losses and gradients, gradient hooks, accumulation, streaming steps.csv. */
public abstract class FitStepsContract extends BackendTestBase {
    @TempDir
    Path tmp;

    /** Passes its input through, or multiplies it by NaN while armed: a model that breaks on cue. */
    static final class Poison extends Module {
        boolean armed;

        @Override
        public Tensor forward(Tensor x) {
            return armed ? x.mul(Float.NaN) : x;
        }
    }

    /** Arms {@code poison} for exactly step {@code step} of the first epoch and records notes and skips. */
    static final class Arming implements TrainListener {
        final Poison poison;
        final int step;
        final List<String> events = new ArrayList<>();
        Map<String, float[]> before;
        Module model;

        Arming(Poison poison, int step, Module model) {
            this.poison = poison;
            this.step = step;
            this.model = model;
        }

        @Override
        public void batchLoaded(int epoch, int s, Batch batch) {
            poison.armed = epoch == 0 && s == step;
            if (poison.armed) {
                before = weights(model);
            }
        }

        @Override
        public void stepSkipped(int epoch, int s, String reason) {
            events.add("skipped " + (epoch + 1) + "/" + s + ": " + reason);
        }

        @Override
        public void note(String message) {
            events.add(message);
        }
    }

    @Test
    void aNanLossStopsTheRunByDefaultWithoutApplyingTheStep() {
        Poison poison = new Poison();
        try (Sequential model = new Sequential(net(3), poison)) {
            Arming arming = new Arming(poison, 3, model);
            Fit fit = new Fit(config().epochs(1).build(), model, data(128, 32), backend).addListener(arming);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> fit.run(null));
            assertTrue(e.getMessage().contains("epoch 1 step 3"), e.getMessage());
            assertTrue(e.getMessage().contains("the loss is NaN"), e.getMessage());
            Map<String, float[]> after = weights(model);
            for (String k : after.keySet()) {
                assertArrayEquals(arming.before.get(k), after.get(k), k + ": the NaN step was not applied");
            }
        }
    }

    @Test
    void skipPolicySkipsAndReportsEachNonFiniteStep() throws IOException {
        Poison poison = new Poison();
        Path out = tmp.resolve("run");
        try (Sequential model = new Sequential(net(3), poison)) {
            Arming arming = new Arming(poison, 3, model);
            FitResult r = new Fit(config().epochs(1).onNonFinite(NonFinitePolicy.SKIP).build(), model,
                    data(128, 32), backend).addListener(arming).run(out);
            assertEquals(1, r.skippedSteps());
            assertEquals("skipped 1/3: the loss is NaN", arming.events.get(0));
            assertEquals("epoch 1: skipped 1 of 8 optimizer steps", arming.events.get(1));
            assertTrue(Double.isNaN(r.history().get(0).trainLoss()), "the epoch's mean loss shows it");
            weights(model).forEach((k, v) -> {
                for (float x : v) {
                    assertTrue(Float.isFinite(x), k);
                }
            });
        }
        assertTrue(lines(out.resolve("steps.csv")).contains("1,3,NaN"), "steps.csv shows the step");
    }

    @Test
    void aNonFiniteGradientIsCaughtBeforeTheOptimizerStep() {
        GradientHook breaksUpdate2 = new GradientHook() {
            @Override
            public boolean afterBackward(List<Tensor> params, long update) {
                if (update == 2) {
                    Tensor g = params.get(0).grad();
                    g.backend().fill(g, Float.POSITIVE_INFINITY);
                }
                return true;
            }
        };
        try (Sequential model = net(3)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Fit(
                    config().epochs(1).build(), model, data(128, 32), backend).addGradientHook(breaksUpdate2)
                    .run(null));
            assertTrue(e.getMessage().contains("epoch 1 step 3"), e.getMessage());
            assertTrue(e.getMessage().contains("gradients hold NaN or infinite values"), e.getMessage());
        }
    }

    @Test
    void aHugeLearningRateIsReportedAsDiverging() throws IOException {
        List<String> notes = new ArrayList<>();
        try (Sequential model = net(3)) {
            new Fit(config().epochs(1).lr(1e6).onNonFinite(NonFinitePolicy.SKIP).build(), model, data(128, 32),
                    backend).addListener(new TrainListener() {
                        @Override
                        public void note(String message) {
                            notes.add(message);
                        }
                    }).run(null);
        }
        assertTrue(notes.stream().anyMatch(n -> n.contains("training is diverging")), notes.toString());
    }

    /**
     * A hook that scales the loss by 1024 and divides the gradients by 1024 after backward, as mixed precision's
     * loss scaler does: scaling by a power of two is exact in floating point, so the run must give exactly the
     * weights of a run without the hook; had the unscaling come after the optimizer step, it would not.
     */
    @Test
    void lossScalingHookRunsBetweenBackwardAndTheStep() throws IOException {
        GradientHook scaler = new GradientHook() {
            @Override
            public double lossScale() {
                return 1024;
            }

            @Override
            public boolean afterBackward(List<Tensor> params, long update) {
                for (Tensor p : params) {
                    if (p.grad() != null) {
                        p.grad().backend().scalar(ScalarOp.MUL, p.grad(), 1f / 1024, p.grad());
                    }
                }
                return true;
            }
        };
        TrainConfig config = config().epochs(1).optimizer(OptimizerKind.SGD).lr(0.1).build();
        Map<String, float[]> plain;
        try (Sequential model = net(3)) {
            new Fit(config, model, data(128, 32), backend).run(null);
            plain = weights(model);
        }
        try (Sequential model = net(3)) {
            Map<String, float[]> initial = weights(model);
            new Fit(config, model, data(128, 32), backend).addGradientHook(scaler).run(null);
            Map<String, float[]> scaled = weights(model);
            assertFalse(Arrays.equals(initial.get("4.weight"), scaled.get("4.weight")), "the run trained");
            for (String k : plain.keySet()) {
                assertArrayEquals(plain.get(k), scaled.get(k), k);
            }
        }
    }

    @Test
    void aHookCanSkipAStepWithoutItCountingAsDivergence() {
        List<String> calls = new ArrayList<>();
        GradientHook skipAll = new GradientHook() {
            @Override
            public boolean afterBackward(List<Tensor> params, long update) {
                assertNotNull(params.get(0).grad(), "called after backward");
                return false;
            }

            @Override
            public void afterStep(long update, boolean applied) {
                calls.add(update + ":" + applied);
            }
        };
        try (Sequential model = net(3)) {
            Map<String, float[]> before = weights(model);
            FitResult r = assertDoesNotThrow(() -> new Fit(config().epochs(1).build(), model, data(64, 32), backend)
                    .addGradientHook(skipAll).run(null));
            assertEquals(4, r.skippedSteps());
            assertEquals(List.of("0:false", "1:false", "2:false", "3:false"), calls);
            weights(model).forEach((k, v) -> assertArrayEquals(before.get(k), v, k));
        }
    }

    private static <T> T assertDoesNotThrow(ThrowingSupplier<T> s) {
        return Assertions.assertDoesNotThrow(s);
    }

    @Test
    void accumulationStepsOncePerGroupOfBatches() throws IOException {
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            // 16 batches of 16 per epoch, in groups of 3: 6 optimizer steps per epoch (the last group has 1)
            new Fit(config().epochs(2).accumulationSteps(3).build(), model, data(256, 32), backend).run(out);
        }
        Map<String, String> meta = Safetensors.readHeader(out.resolve("last.safetensors")).metadata();
        assertEquals("12", meta.get("optimizer/state.0.step"));
    }

    /**
     * Two accumulated batches of 8 give the gradient of one batch of 16 (the loader's order does not depend on
     * the batch size, and this net has no batch norm). Only the order of float additions differs, a few ulps
     * per gradient element; over 8 SGD steps at lr 0.1 that stays far below 1e-5.
     */
    @Test
    void accumulatingTwoHalfBatchesMatchesOneFullBatch() {
        TrainConfig full = config().epochs(1).optimizer(OptimizerKind.SGD).lr(0.1).batchSize(16).build();
        Map<String, float[]> a;
        try (Sequential model = net(3)) {
            Map<String, float[]> initial = weights(model);
            new Fit(full, model, data(128, 32), backend).run(null);
            a = weights(model);
            assertFalse(Arrays.equals(initial.get("4.weight"), a.get("4.weight")), "the run trained");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (Sequential model = net(3)) {
            new Fit(full.toBuilder().batchSize(8).accumulationSteps(2).build(), model, data(128, 32), backend)
                    .run(null);
            Map<String, float[]> b = weights(model);
            for (String k : a.keySet()) {
                for (int i = 0; i < a.get(k).length; i++) {
                    float want = a.get(k)[i];
                    assertEquals(want, b.get(k)[i], 1e-5 + 1e-5 * Math.abs(want), k + "[" + i + "]");
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stepsReachTheFileDuringTheEpoch() throws IOException {
        Path out = tmp.resolve("run");
        List<Integer> rowsSeen = new ArrayList<>();
        try (Sequential model = net(3)) {
            new Fit(config().epochs(1).batchSize(1).build(), model, data(64, 16), backend)
                    .addListener(new TrainListener() {
                        @Override
                        public void stepFinished(int epoch, int step, int steps, double loss, double ips) {
                            if (step == 60) {
                                try {
                                    rowsSeen.add(lines(out.resolve("steps.csv")).size() - 1);
                                } catch (IOException e) {
                                    throw new AssertionError(e);
                                }
                            }
                        }
                    }).run(out);
        }
        assertTrue(rowsSeen.get(0) >= 50, "rows on disk at step 60: " + rowsSeen);
        assertFalse(lines(out.resolve("steps.csv")).isEmpty());
    }
}
