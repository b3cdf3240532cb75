package org.cnn4j.contract;

import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;
import static org.cnn4j.contract.FitFixtures.net;
import static org.cnn4j.contract.FitFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ToUnit;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.train.Checkpoint;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.Evaluator;
import org.cnn4j.train.Fit;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.RunInfo;
import org.cnn4j.train.ScheduleKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Fit}'s state: EMA, plateau, freezing and head learning rate, and what a checkpoint may hold. */
public abstract class FitStateContract extends BackendTestBase {
    @TempDir
    Path tmp;

    private Path trainedRun(TrainConfig config) throws IOException {
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).run(out);
        }
        return out;
    }

    /** Rewrites a checkpoint with changed metadata (or tensors), as a hostile or careless editor would. */
    private void tamper(Path file, Consumer<Map<String, String>> meta, Consumer<Map<String, Tensor>> tensors)
            throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> all = new LinkedHashMap<>(Safetensors.load(file, backend));
            Map<String, String> m = new LinkedHashMap<>(Safetensors.readHeader(file).metadata());
            meta.accept(m);
            tensors.accept(all);
            Safetensors.save(file, all, m);
        }
    }

    private String resumeFails(Path out, TrainConfig config) {
        try (Sequential model = net(3)) {
            Exception e = assertThrows(Exception.class,
                    () -> new Fit(config, model, data(64, 32), backend).resume(out.resolve("last.safetensors"), out));
            String msg = e.getMessage();
            assertFalse(msg.contains("\n"), "one line: " + msg);
            assertFalse(msg.contains("jackson") || msg.contains("Source:") || msg.contains("org.cnn4j"), msg);
            return msg;
        }
    }

    @Test
    void emaAveragesEveryStepAndIsWhatGetsEvaluatedAndSaved() throws IOException {
        TrainConfig config = config().epochs(2).emaDecay(0.9).build();
        Path out = tmp.resolve("run");
        Map<String, double[]> expected = new LinkedHashMap<>();
        FitResult r;
        try (Sequential model = net(3)) {
            r = new Fit(config, model, data(64, 32), backend).addListener(new TrainListener() {
                @Override
                public void runStarted(RunInfo info) {
                    weights(model).forEach((k, v) -> expected.put(k, toDouble(v)));
                }

                @Override
                public void stepFinished(int epoch, int step, int steps, double loss, double ips) {
                    weights(model).forEach((k, v) -> {
                        double[] avg = expected.get(k);
                        for (int i = 0; i < v.length; i++) {
                            avg[i] = 0.9 * avg[i] + 0.1 * v[i];
                        }
                    });
                }
            }).run(out);
        }
        Map<String, float[]> saved = FitFixtures.tensors(out.resolve("last.safetensors"), backend);
        assertTrue(saved.containsKey(Checkpoint.LIVE_PREFIX + "4.weight"), saved.keySet().toString());
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            float[] got = saved.get(e.getKey());
            for (int i = 0; i < got.length; i++) {
                // float32 running average vs a double one: a few ulps per step over 8 steps
                assertEquals(e.getValue()[i], got[i], 1e-5 + 1e-5 * Math.abs(e.getValue()[i]), e.getKey());
            }
        }
        try (Sequential model = net(7); DataLoader test = new DataLoader(data(64, 32).test(), 16, false, 0, false,
                new ToUnit()); MemoryScope scope = MemoryScope.open()) {
            model.loadStateDict(Checkpoint.weightsOnly(Safetensors.load(out.resolve("last.safetensors"), backend)));
            ClassificationMetrics m = new Evaluator(model, backend).evaluate(test, FitFixtures.CLASSES);
            assertEquals(r.history().get(1).testAccuracy(), m.top1(), "the metrics are the average's");
        }
    }

    @Test
    void emaRunsResumeExactly() throws IOException {
        TrainConfig config = config().epochs(2).emaDecay(0.5).build();
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).run(straight);
        }
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).stopAfter(1).run(split);
        }
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).resume(split.resolve("last.safetensors"), split);
        }
        Map<String, float[]> a = FitFixtures.tensors(straight.resolve("last.safetensors"), backend);
        Map<String, float[]> b = FitFixtures.tensors(split.resolve("last.safetensors"), backend);
        assertFalse(Arrays.equals(a.get("4.weight"), a.get(Checkpoint.LIVE_PREFIX + "4.weight")),
                "the average differs from the trained weights");
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
    }

    @Test
    void plateauHalvesTheRateAfterAnEpochWithoutImprovement() throws IOException {
        // SGD at 1e-9 changes no prediction: epoch 1 sets the best, every later epoch is no better
        TrainConfig config = config().epochs(4).optimizer(OptimizerKind.SGD).lr(1e-9).schedule(ScheduleKind.PLATEAU)
                .plateau(0.5, 0).build();
        Path out = tmp.resolve("run");
        try (Sequential model = net(3)) {
            new Fit(config, model, data(64, 32), backend).stopAfter(2).run(out);
        }
        FitResult r;
        try (Sequential model = net(3)) {
            r = new Fit(config, model, data(64, 32), backend).resume(out.resolve("last.safetensors"), out);
        }
        double[] lrs = r.history().stream().mapToDouble(e -> e.lr()).toArray();
        assertArrayEquals(new double[] {1e-9, 1e-9, 0.5e-9, 0.25e-9}, lrs, 1e-24, "the resumed run replays the"
                + " reductions of its history");
    }

    @Test
    void frozenParametersStayOutOfTheOptimizer() throws IOException {
        Path out = tmp.resolve("frozen");
        try (Sequential model = net(3)) {
            Map<String, float[]> before = weights(model);
            new Fit(config().epochs(1).freeze(List.of("0.")).build(), model, data(64, 32), backend).run(out);
            Map<String, float[]> after = weights(model);
            assertArrayEquals(before.get("0.weight"), after.get("0.weight"));
            assertFalse(Arrays.equals(before.get("4.weight"), after.get("4.weight")));
        }
        Map<String, String> meta = Safetensors.readHeader(out.resolve("last.safetensors")).metadata();
        assertEquals("2", meta.get("optimizer/param_count"), "frozen parameters are not in the optimizer");
    }

    @Test
    void theHeadGetsItsOwnLearningRate() throws IOException {
        Path out = tmp.resolve("head");
        try (Sequential model = net(3)) {
            new Fit(config().epochs(1).schedule(ScheduleKind.COSINE).headPrefix("4.").headLrMult(10).build(), model,
                    data(64, 32), backend).run(out);
        }
        Map<String, String> meta = Safetensors.readHeader(out.resolve("last.safetensors")).metadata();
        double backbone = Double.parseDouble(meta.get("optimizer/group.0.lr"));
        assertTrue(backbone > 0 && backbone < 0.01, "the schedule moved it: " + backbone);
        assertEquals(10 * backbone, Double.parseDouble(meta.get("optimizer/group.1.lr")), 1e-15);
    }

    @Test
    void freezingTheBackboneTrainsOnlyTheHead() throws IOException {
        try (Sequential model = net(3)) {
            Map<String, float[]> before = weights(model);
            new Fit(config().epochs(1).freezeBackbone(true).headPrefix("4.").build(), model, data(64, 32), backend)
                    .run(null);
            Map<String, float[]> after = weights(model);
            assertArrayEquals(before.get("0.weight"), after.get("0.weight"));
            assertArrayEquals(before.get("0.bias"), after.get("0.bias"));
            assertFalse(Arrays.equals(before.get("4.bias"), after.get("4.bias")));
        }
    }

    @Test
    void aFreezePrefixOfNoParameterIsAnError() {
        try (Sequential model = net(3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Fit(
                    config().freeze(List.of("layer9")).build(), model, data(64, 32), backend).run(null));
            assertEquals("freeze prefix 'layer9' matches no parameter; the model's parameters start with '0', '4'",
                    e.getMessage());
        }
    }

    @Test
    void tamperedMetadataGivesOneLineNamingTheEntry() throws IOException {
        TrainConfig config = config().epochs(2).build();
        Path out = trainedRun(config.withEpochs(1));
        Path last = out.resolve("last.safetensors");
        String good = Safetensors.readHeader(last).metadata().get("config");
        String[][] cases = {
            {"config", "{not json", "'config' is not valid JSON"},
            {"config", good.replace("\"lr\":", "\"speed\":1,\"lr\":"), "'config' has an unknown field 'speed'"},
            {"config", good.replace("\"epochs\":1", "\"epochs\":-3"), "'config' is invalid: epochs must be >= 1"},
            {"config", good.replace("\"batch_size\":16", "\"batch_size\":\"big\""), "field 'batch_size' cannot be"},
            {"epochs_done", "one", "'epochs_done' 'one' is not a whole number"},
            {"history", "[]", "'epochs_done' 1 does not fit"},
            {"history", "{\"a\":1}", "'history' has the wrong structure"},
            {"optimizer/group.0.lr", "fast", "group.0.lr in the metadata is 'fast', not a number"},
        };
        for (String[] c : cases) {
            Path copy = tmp.resolve("copy");
            Files.createDirectories(copy);
            Files.copy(last, copy.resolve("last.safetensors"),
                    StandardCopyOption.REPLACE_EXISTING);
            tamper(copy.resolve("last.safetensors"), m -> m.put(c[0], c[1]), t -> { });
            String msg = resumeFails(copy, config);
            assertTrue(msg.contains(c[2]), c[0] + "=" + c[1] + ": " + msg);
        }
    }

    @Test
    void checkpointsHoldingNanAreRefused() throws IOException {
        TrainConfig config = config().epochs(2).build();
        Path out = trainedRun(config.withEpochs(1));
        tamper(out.resolve("last.safetensors"), m -> { }, t -> {
            Tensor w = t.get("4.weight");
            float[] v = w.toFloatArray();
            v[3] = Float.NaN;
            v[5] = Float.NEGATIVE_INFINITY;
            w.backend().write(w, v, 0);
        });
        String msg = resumeFails(out, config);
        assertTrue(msg.contains("tensor '4.weight' holds 1 NaN and 1 infinite values of 256"), msg);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
