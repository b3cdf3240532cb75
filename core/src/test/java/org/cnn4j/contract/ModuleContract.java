package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Identity;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.LoadReport;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/** Module bookkeeping: state-dict keys, loading, freezing, modes, hooks, moving and freeing. */
public abstract class ModuleContract extends BackendTestBase {

    /** A torchvision-style net: a Sequential "features", then named bn1 and fc. */
    static final class SmallNet extends Module {
        final Sequential features;
        final BatchNorm2d bn1;
        final Linear fc;

        SmallNet() {
            features = registerModule("features", new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU()));
            bn1 = registerModule("bn1", new BatchNorm2d(4));
            fc = registerModule("fc", new Linear(4 * 2 * 2, 3));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = bn1.call(features.call(x));
            return fc.call(new Flatten().call(new MaxPool2d(2).call(h)));
        }
    }

    private static final List<String> KEYS = List.of("features.0.weight", "features.0.bias", "bn1.weight",
            "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias");

    @Test
    void stateDictHasPyTorchKeysInOrderAndLiveValues() {
        try (SmallNet net = new SmallNet()) {
            Map<String, Tensor> sd = net.stateDict();
            assertEquals(KEYS, new ArrayList<>(sd.keySet()));
            assertSame(net.fc.weight(), sd.get("fc.weight"));
            assertEquals(Shape.of(4, 1, 3, 3), sd.get("features.0.weight").shape());
            assertEquals(Shape.scalar(), sd.get("bn1.num_batches_tracked").shape());
            assertEquals(List.of("features.0.weight", "features.0.bias", "bn1.weight", "bn1.bias", "fc.weight",
                    "fc.bias"), new ArrayList<>(net.namedParameters().keySet()));
            assertEquals(List.of("", "features", "features.0", "features.1", "bn1", "fc"),
                    new ArrayList<>(net.namedModules().keySet()));
            assertTrue(net.isIntegerBuffer("bn1.num_batches_tracked"));
            assertFalse(net.isIntegerBuffer("bn1.running_var"));
            assertEquals(36 + 4 + 4 + 4 + 48 + 3, net.parameterCount());
            assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
            assertArrayEquals(new float[] {1, 1, 1, 1}, net.bn1.buffer("running_var").toFloatArray());
        }
    }

    @Test
    void strictLoadReportsEveryProblemAndLoadsNothing() {
        try (SmallNet src = new SmallNet(); SmallNet dst = new SmallNet()) {
            float[] before = NumericAsserts.gaussian(random, (int) dst.fc.weight().numel());
            backend.write(dst.fc.weight(), before, 0); // host-known values, so "unchanged" is not zeros == zeros
            Map<String, Tensor> state = new LinkedHashMap<>(src.stateDict());
            state.remove("bn1.running_mean");
            state.remove("fc.bias");
            state.put("fc.extra", state.get("fc.weight"));
            state.put("features.0.weight", randn(4, 1, 5, 5));
            StateDictException e = assertThrows(StateDictException.class, () -> dst.loadStateDict(state));
            String m = e.getMessage();
            for (String expected : List.of("bn1.running_mean", "fc.bias", "fc.extra", "features.0.weight",
                    "[4, 1, 5, 5]", "[4, 1, 3, 3]")) {
                assertTrue(m.contains(expected), "message lacks '" + expected + "': " + m);
            }
            assertArrayEquals(before, dst.fc.weight().toFloatArray(), "strict load must copy nothing on failure");
        }
    }

    @Test
    void nonStrictLoadCopiesWhatMatchesAndReportsTheRest() {
        try (SmallNet src = new SmallNet(); SmallNet dst = new SmallNet()) {
            Map<String, Tensor> state = new LinkedHashMap<>(src.stateDict());
            state.remove("fc.bias");
            state.put("fc.weight", randn(2, 2));
            state.put("head.weight", randn(2));
            LoadReport report = dst.loadStateDict(state, false);
            assertEquals(List.of("fc.bias"), report.missingKeys());
            assertEquals(List.of("head.weight"), report.unexpectedKeys());
            assertEquals(1, report.shapeMismatches().size());
            assertTrue(report.shapeMismatches().get(0).startsWith("fc.weight"));
            assertArrayEquals(src.features.get(0).parameter("weight").toFloatArray(),
                    dst.features.get(0).parameter("weight").toFloatArray());
            assertNotEquals(src.fc.weight().toFloatArray()[0], dst.fc.weight().toFloatArray()[0]);
        }
    }

    @Test
    void loadCopiesFromAnotherBackendInstanceThroughTheHost() {
        Backend other = createBackend();
        try (SmallNet dst = new SmallNet()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            List<Tensor> made = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : dst.stateDict().entrySet()) {
                float[] v = new float[(int) e.getValue().numel()];
                java.util.Arrays.fill(v, 0.25f);
                Tensor t = Tensor.of(other, v, e.getValue().shape());
                made.add(t);
                state.put(e.getKey(), t);
            }
            assertTrue(dst.loadStateDict(state, true).isClean());
            assertEquals(0.25f, dst.fc.bias().toFloatArray()[2]);
            assertSame(backend, dst.fc.bias().backend());
            made.forEach(Tensor::close);
        }
    }

    @Test
    void freezePrefixStopsGradientsOfMatchingParameters() {
        try (SmallNet net = new SmallNet()) {
            net.freezePrefix("features.");
            net.namedParameters().forEach((name, t) ->
                    assertEquals(!name.startsWith("features."), t.requiresGrad(), name));
            net.setRequiresGrad("", true);
            assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
        }
    }

    @Test
    void trainAndEvalAreRecursive() {
        try (SmallNet net = new SmallNet()) {
            assertTrue(net.features.get(1).isTraining());
            assertSame(net, net.eval());
            assertTrue(net.namedModules().values().stream().noneMatch(Module::isTraining));
            net.train();
            assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
        }
    }

    @Test
    void globalForwardHooksSeeEveryCalledModuleUntilRemoved() throws Exception {
        Sequential seq = new Sequential(new Flatten(), new Identity());
        List<String> seen = new ArrayList<>();
        Tensor x = randn(2, 3, 4);
        try (AutoCloseable h = Module.addGlobalForwardHook((m, in, out) -> seen.add(m.typeName() + out.shape()))) {
            seq.call(x);
        }
        assertEquals(List.of("Flatten[2, 12]", "Identity[2, 12]", "Sequential[2, 12]"), seen);
        seq.call(x);
        assertEquals(3, seen.size(), "hook must not run after it was closed");
    }

    @Test
    void globalHooksSeeEachForwardBeforeAndAfterInNestingOrder() throws Exception {
        Sequential seq = new Sequential(new Flatten(), new Identity());
        List<String> events = new ArrayList<>();
        Module.ForwardHook hook = new Module.ForwardHook() {
            @Override
            public void before(Module m, Tensor in) {
                events.add("+" + m.typeName() + in.shape());
            }

            @Override
            public void after(Module m, Tensor in, Tensor out) {
                events.add("-" + m.typeName());
            }
        };
        try (AutoCloseable h = Module.addGlobalForwardHook(hook)) {
            seq.call(randn(2, 3, 4));
        }
        assertEquals(List.of("+Sequential[2, 3, 4]", "+Flatten[2, 3, 4]", "-Flatten", "+Identity[2, 12]",
                "-Identity", "-Sequential"), events);
    }

    @Test
    void registrationAndReplacementAreChecked() {
        try (Linear fc = new Linear(3, 2)) {
            Tensor wrong = randn(3, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fc.setParameter("weight", wrong));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 3]"), e.getMessage());
            Tensor replacement = randn(2, 3);
            fc.setParameter("weight", replacement);
            assertSame(replacement, fc.weight());
            assertTrue(replacement.requiresGrad());
            assertThrows(IllegalArgumentException.class, () -> fc.parameter("gamma"));
            assertThrows(IllegalArgumentException.class, () -> new Sequential(new ReLU()) {
                {
                    registerModule("0", new ReLU());
                }
            });
        }
    }

    @Test
    void closeFreesAllParametersAndBuffers() {
        long before = backend.liveBytes();
        SmallNet net = new SmallNet();
        assertTrue(backend.liveBytes() > before);
        net.close();
        assertEquals(before, backend.liveBytes());
        assertTrue(net.fc.weight().isClosed());
    }

    @Test
    void toMovesParametersAndBuffersKeepingValuesAndFlags() {
        Backend other = createBackend();
        try (SmallNet net = new SmallNet()) {
            net.freezePrefix("fc.");
            float[] w = NumericAsserts.gaussian(random, (int) net.fc.weight().numel());
            backend.write(net.fc.weight(), w, 0);
            long otherBefore = other.liveBytes();
            net.to(other);
            assertSame(other, net.fc.weight().backend());
            assertSame(other, net.bn1.buffer("running_var").backend());
            assertArrayEquals(w, net.fc.weight().toFloatArray());
            assertFalse(net.fc.weight().requiresGrad());
            assertTrue(net.bn1.parameter("weight").requiresGrad());
            net.to(backend);
            assertEquals(otherBefore, other.liveBytes());
        }
    }

    @Test
    void sequentialIndexesChildren() {
        Sequential s = new Sequential(new ReLU(), new Identity());
        s.add(new Flatten(2));
        assertEquals(3, s.size());
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(s.namedChildren().keySet()));
        assertEquals("Flatten(start_dim=2)", s.get(2).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
    }

    @Test
    void layersProducePyTorchShapes() {
        Tensor x = randn(2, 3, 9, 9);
        try (Conv2d conv = new Conv2d(3, 6, 3, 2, 1)) {
            assertEquals(Shape.of(2, 6, 5, 5), conv.call(x).shape());
        }
        assertEquals(Shape.of(2, 3, 4, 4), new MaxPool2d(3, 2, 0).call(x).shape());
        assertEquals(Shape.of(2, 3, 5, 5), new MaxPool2d(2, 2, 0, true).call(x).shape());
        assertEquals(Shape.of(2, 3, 3, 3), new AvgPool2d(3).call(x).shape());
        assertEquals(Shape.of(2, 3, 2, 1), new AdaptiveAvgPool2d(2, 1).call(x).shape());
        assertEquals(Shape.of(2, 243), new Flatten().call(x).shape());
        try (Linear fc = new Linear(243, 5, false)) {
            assertEquals(Shape.of(2, 5), fc.call(new Flatten().call(x)).shape());
            assertFalse(fc.hasParameter("bias"));
        }
        try (BatchNorm2d bn = new BatchNorm2d(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.call(x));
            assertTrue(e.getMessage().contains("BatchNorm2d(4)") && e.getMessage().contains("[2, 3, 9, 9]"),
                    e.getMessage());
        }
    }

    @Test
    void batchNormCountsTrainingBatchesOnly() {
        try (BatchNorm2d bn = new BatchNorm2d(3)) {
            Tensor x = randn(4, 3, 2, 2);
            bn.call(x);
            bn.call(x);
            assertEquals(2f, bn.buffer("num_batches_tracked").item());
            assertNotEquals(0f, bn.buffer("running_mean").toFloatArray()[0]);
            bn.eval().call(x);
            assertEquals(2f, bn.buffer("num_batches_tracked").item());
        }
    }

    @Test
    void dropoutIsReproducibleFromItsSeedAndIdentityInEval() {
        Tensor x = Tensor.full(backend, Shape.of(64), 1f);
        float[] a = new Dropout(0.5f, 7).call(x).toFloatArray();
        float[] b = new Dropout(0.5f, 7).call(x).toFloatArray();
        assertArrayEquals(a, b);
        Dropout d = new Dropout(0.5f, 7);
        d.call(x);
        assertFalse(java.util.Arrays.equals(a, d.call(x).toFloatArray()), "each forward draws a fresh mask");
        for (float v : a) {
            assertTrue(v == 0f || v == 2f, "inverted dropout keeps x/(1-p): " + v);
        }
        float[] ones = new float[64];
        java.util.Arrays.fill(ones, 1f);
        assertArrayEquals(ones, d.eval().call(x).toFloatArray());
    }

    @Test
    void defaultInitIsBoundedBySqrtFanInAndSeeded() {
        Init.manualSeed(3);
        try (Conv2d a = new Conv2d(8, 16, 3, 1, 1); Linear fc = new Linear(100, 50)) {
            Init.manualSeed(3);
            try (Conv2d b = new Conv2d(8, 16, 3, 1, 1)) {
                assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
                assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
            }
            double bound = 1 / Math.sqrt(8 * 9);
            double[] stats = stats(a.weight().toFloatArray());
            assertTrue(stats[2] <= bound && stats[2] > 0.95 * bound, "max |w| " + stats[2] + " bound " + bound);
            assertEquals(bound / Math.sqrt(3), stats[1], 0.05 * bound, "std of U(-b, b)");
            assertTrue(stats(fc.bias().toFloatArray())[2] <= 0.1);
            Tensor w = Tensor.zeros(backend, Shape.of(256, 128, 3, 3));
            Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU);
            assertEquals(Math.sqrt(2.0 / (256 * 9)), stats(w.toFloatArray())[1], 1e-3);
            Init.xavierUniform(w, 1.0);
            assertTrue(stats(w.toFloatArray())[2] <= Math.sqrt(6.0 / ((128 + 256) * 9)));
        }
    }

    /** {mean, std, max |v|}. */
    private static double[] stats(float[] v) {
        double sum = 0, sq = 0, max = 0;
        for (float f : v) {
            sum += f;
            sq += (double) f * f;
            max = Math.max(max, Math.abs(f));
        }
        double mean = sum / v.length;
        return new double[] {mean, Math.sqrt(sq / v.length - mean * mean), max};
    }
}
