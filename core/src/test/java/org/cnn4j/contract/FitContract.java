package org.cnn4j.contract;

import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;
import static org.cnn4j.contract.FitFixtures.lines;
import static org.cnn4j.contract.FitFixtures.net;
import static org.cnn4j.contract.FitFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.nn.Sequential;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.Fit;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.Metric;
import org.cnn4j.train.RunFolder;
import org.cnn4j.train.ScheduleKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Fit}: what a run learns and writes, resume, and the protection of its output folder. */
public abstract class FitContract extends BackendTestBase {
    @TempDir
    Path tmp;

    private FitResult fit(TrainConfig config, Path out) throws IOException {
        try (Sequential model = net(3)) {
            return new Fit(config, model, data(256, 128), backend).run(out);
        }
    }

    @Test
    void learnsAndWritesEveryOutputEachEpoch() throws IOException {
        Path out = tmp.resolve("run");
        FitResult r = fit(config().epochs(3).build(), out);
        assertEquals(3, r.epochsDone());
        assertTrue(r.history().get(2).testAccuracy() > 0.6, "test accuracy " + r.history().get(2).testAccuracy()
                + " (chance 0.25)");
        for (String f : List.of("last.safetensors", "best.safetensors", "metrics.json", "metrics.csv", "steps.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> steps = lines(out.resolve("steps.csv"));
        assertEquals("epoch,step,loss", steps.get(0));
        assertEquals(1 + 3 * 16, steps.size(), "a header and one row per step");
        assertTrue(steps.get(17).startsWith("2,1,"), steps.get(17));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("test_accuracy", m.get("monitor").asText());
        assertEquals(r.bestEpoch(), m.get("best_epoch").asInt());
        assertEquals(4, lines(out.resolve("metrics.csv")).size());
    }

    @Test
    void resumeInTheSameFolderGivesTheUninterruptedRunAndKeepsItsStepLog() throws IOException {
        TrainConfig config = config().epochs(2).build();
        Path straight = tmp.resolve("straight");
        fit(config, straight);
        Path split = tmp.resolve("split");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(256, 128), backend).stopAfter(1).run(split);
        }
        // a kill during epoch 2 leaves some of its rows, and a cut one, behind
        Files.writeString(split.resolve("steps.csv"), "2,1,9.99\n2,2,9.9", StandardOpenOption.APPEND);
        try (Sequential model = net(99)) {
            new Fit(config, model, data(256, 128), backend).resume(split.resolve("last.safetensors"), split);
        }
        Map<String, float[]> a = FitFixtures.tensors(straight.resolve("last.safetensors"), backend);
        Map<String, float[]> b = FitFixtures.tensors(split.resolve("last.safetensors"), backend);
        try (Sequential initial = net(3)) {
            assertFalse(Arrays.equals(weights(initial).get("4.weight"), a.get("4.weight")), "the run trained");
        }
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
        assertEquals(lines(straight.resolve("steps.csv")), lines(split.resolve("steps.csv")));
        assertEquals(lines(straight.resolve("metrics.csv")).size(), lines(split.resolve("metrics.csv")).size());
    }

    @Test
    void resumeRefusesChangedSettingsButMayAddEpochs() throws IOException {
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            new Fit(config().epochs(1).build(), model, data(64, 32), backend).run(out);
        }
        Path last = out.resolve("last.safetensors");
        try (Sequential model = net(3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Fit(
                    config().epochs(1).lr(0.1).batchSize(8).build(), model, data(64, 32), backend).resume(last, out));
            assertTrue(e.getMessage().contains("lr 0.1 instead of 0.01"), e.getMessage());
            assertTrue(e.getMessage().contains("batch_size 8 instead of 16"), e.getMessage());
        }
        try (Sequential model = net(3)) {
            FitResult r = new Fit(config().epochs(2).build(), model, data(64, 32), backend).resume(last, out);
            assertEquals(2, r.epochsDone());
        }
    }

    @Test
    void aFolderWithAnEarlierRunIsRefusedUnlessOverwriting() throws IOException {
        Path out = tmp.resolve("run");
        TrainConfig config = config().epochs(1).build();
        fit(config, out);
        IOException e = assertThrows(IOException.class, () -> fit(config, out));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
        assertTrue(e.getMessage().contains("'last.safetensors'"), e.getMessage());
        Files.writeString(out.resolve("steps.csv"), "epoch,step,loss\n7,1,1.0\n");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(256, 128), backend).overwrite(true).run(out);
        }
        assertFalse(lines(out.resolve("steps.csv")).contains("7,1,1.0"), "the old run's rows are gone");
    }

    @Test
    void aSecondRunIntoTheSameFolderIsLockedOut() throws IOException {
        Path out = tmp.resolve("run");
        try (RunFolder held = RunFolder.open(out, false, false)) {
            IOException e = assertThrows(IOException.class, () -> fit(config().epochs(1).build(), out));
            assertTrue(e.getMessage().contains("another training run is writing to"), e.getMessage());
        }
        fit(config().epochs(1).build(), out);
    }

    @Test
    void leftoversOfAKilledCheckpointWriteAreRemovedOnResume() throws IOException {
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            new Fit(config().epochs(2).build(), model, data(64, 32), backend).stopAfter(1).run(out);
        }
        Path stale = Files.createTempFile(out, ".last.safetensors", ".tmp");
        List<String> notes = new ArrayList<>();
        try (Sequential model = net(3)) {
            new Fit(config().epochs(2).build(), model, data(64, 32), backend)
                    .addListener(new TrainListener() {
                        @Override
                        public void note(String message) {
                            notes.add(message);
                        }
                    }).resume(out.resolve("last.safetensors"), out);
        }
        assertFalse(Files.exists(stale));
        assertTrue(notes.get(0).contains("removed 1 temp file"), notes.toString());
    }

    @Test
    void oneCycleRunsOnTwoAndThreeStepRuns() throws IOException {
        for (int images : new int[] {32, 48}) {
            try (Sequential model = net(3)) {
                FitResult r = new Fit(config().epochs(1).schedule(ScheduleKind.ONECYCLE).build(), model,
                        data(images, 16), backend).run(null);
                assertEquals(1, r.epochsDone(), images / 16 + " steps");
            }
        }
    }

    @Test
    void theMonitoredMetricChoosesTheBestCheckpoint() throws IOException {
        Path out = tmp.resolve("run");
        FitResult r = fit(config().epochs(3).monitor(Metric.TEST_LOSS).build(), out);
        int argmin = 0;
        for (int i = 1; i < r.history().size(); i++) {
            argmin = r.history().get(i).testLoss() < r.history().get(argmin).testLoss() ? i : argmin;
        }
        assertEquals(argmin + 1, r.bestEpoch());
        assertEquals(r.history().get(argmin).testLoss(), r.bestValue());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("test_loss", m.get("monitor").asText());
    }

    @Test
    void earlyStoppingCountsEpochsFromBeforeAResume() throws IOException {
        // a learning rate so small that nothing changes: no epoch after the first is better
        TrainConfig config = config().epochs(5).lr(1e-12).earlyStoppingPatience(2).build();
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).stopAfter(2).run(out);
        }
        try (Sequential model = net(3)) {
            FitResult r = new Fit(config, model, data(64, 32), backend).resume(out.resolve("last.safetensors"), out);
            assertEquals(3, r.epochsDone(), "epoch 1 best, epochs 2 and 3 not better: stop after 3");
            assertTrue(r.stopReason().startsWith("early stopping"), r.stopReason());
        }
    }

    @Test
    void noOutputFolderWritesNothing() throws IOException {
        FitResult r = fit(config().epochs(1).build(), null);
        assertEquals(1, r.epochsDone());
        assertNull(r.stopReason());
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
        EpochResult e = r.history().get(0);
        assertEquals(1, e.epoch());
    }
}
