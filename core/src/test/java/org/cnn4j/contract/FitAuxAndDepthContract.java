package org.cnn4j.contract;

import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.data.Batch;
import org.cnn4j.nn.AuxiliaryOutputs;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StochasticDepth;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Losses;
import org.cnn4j.ops.Pooling;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.train.Fit;
import org.cnn4j.train.GradientHook;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Fit} with models beyond a plain chain: auxiliary heads ({@link AuxiliaryOutputs}) take part in the loss
 * with their weights, and {@link StochasticDepth} draws masks from the run's seed, fresh each epoch, so a resumed
 * run equals an uninterrupted one.
 */
public abstract class FitAuxAndDepthContract extends BackendTestBase {
    private static final double AUX_WEIGHT = 0.25;

    @TempDir
    Path tmp;

    /** conv 1->4 3x3 - ReLU - max-pool 2 - flatten, then a main and an auxiliary linear head 64->4. */
    static final class TwoHeads extends Module implements AuxiliaryOutputs {
        private final Conv2d conv;
        private final Linear fc;
        private final Linear aux;

        TwoHeads(long seed) {
            Init.manualSeed(seed);
            conv = registerModule("conv", new Conv2d(1, 4, 3, 1, 1));
            fc = registerModule("fc", new Linear(64, FitFixtures.CLASSES));
            aux = registerModule("aux", new Linear(64, FitFixtures.CLASSES));
        }

        private Tensor features(Tensor x) {
            return Pooling.maxPool2d(Activations.relu(conv.call(x)), 2, 2, 0).flatten(1);
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.call(features(x));
        }

        @Override
        public Outputs forwardWithAux(Tensor x) {
            Tensor h = features(x);
            return new Outputs(fc.call(h), isTraining() ? List.of(new Auxiliary(aux.call(h), AUX_WEIGHT)) : List.of());
        }
    }

    /** A stem conv, then x + StochasticDepth(0.5)(conv(x)), max-pool 2, flatten, linear 64->4. */
    static final class Residual extends Module {
        final StochasticDepth drop;
        private final Conv2d stem;
        private final Conv2d branch;
        private final Linear fc;

        Residual(long seed) {
            Init.manualSeed(seed);
            stem = registerModule("stem", new Conv2d(1, 4, 3, 1, 1));
            branch = registerModule("branch", new Conv2d(4, 4, 3, 1, 1));
            drop = registerModule("drop", new StochasticDepth(0.5f));
            fc = registerModule("fc", new Linear(64, FitFixtures.CLASSES));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = Activations.relu(stem.call(x));
            h = h.add(drop.call(Activations.relu(branch.call(h))));
            return fc.call(Pooling.maxPool2d(h, 2, 2, 0).flatten(1));
        }
    }

    @Test
    void auxiliaryHeadsAddTheirWeightedLossAndTrain() throws IOException {
        TrainConfig config = config().epochs(1).batchSize(16).optimizer(OptimizerKind.SGD).momentum(0).build();
        Map<String, float[]> grads = new LinkedHashMap<>();
        List<Batch> batches = new ArrayList<>();
        float[] auxBefore;
        float[] auxAfter;
        try (TwoHeads model = new TwoHeads(3)) {
            auxBefore = model.aux.weight().toFloatArray();
            GradientHook capture = new GradientHook() {
                @Override
                public boolean afterBackward(List<Tensor> params, long update) {
                    if (update == 0) {
                        model.namedParameters().forEach((k, p) -> grads.put(k, p.grad().toFloatArray()));
                    }
                    return true;
                }
            };
            new Fit(config, model, data(16, 16), backend).addGradientHook(capture).addListener(new TrainListener() {
                @Override
                public void batchLoaded(int epoch, int step, Batch batch) {
                    batches.add(batch);
                }
            }).run(null);
            auxAfter = model.aux.weight().toFloatArray();
        }
        assertFalse(Arrays.equals(auxBefore, auxAfter), "the auxiliary head was updated");
        try (TwoHeads model = new TwoHeads(3); MemoryScope scope = MemoryScope.open()) {
            Batch b = batches.get(0);
            Tensor x = Tensor.of(backend, b.data(), Shape.of(b.dims()));
            Tensor h = model.features(x);
            Tensor loss = Losses.crossEntropy(model.fc.call(h), b.labels())
                    .add(Losses.crossEntropy(model.aux.call(h), b.labels()).mul((float) AUX_WEIGHT));
            loss.backward();
            // The same operations in the same order: bit for bit on the CPU. A GPU may sum in another order (atomic
            // reductions over the 16 x 8 x 8 positions), so allow n * eps32 = 1024 * 6e-8 ~ 6e-5 of the largest value.
            model.namedParameters().forEach((k, p) -> {
                float[] expected = p.grad().toFloatArray();
                float largest = 0;
                for (float v : expected) {
                    largest = Math.max(largest, Math.abs(v));
                }
                assertArrayEquals(expected, grads.get(k), 1e-4f * largest, k);
            });
        }
    }

    @Test
    void stochasticDepthMasksComeFromTheRunSeedFreshEachEpoch() throws IOException {
        List<String> a = masks(config().seed(5).build(), 3);
        List<String> b = masks(config().seed(5).build(), 99);
        assertEquals(8, a.size(), "two epochs of four steps");
        assertEquals(a, b, "the masks depend on the run's seed, not on how the model was built");
        assertNotEquals(a.subList(0, 4), a.subList(4, 8), "epoch 2 draws other masks than epoch 1");
        assertNotEquals(a, masks(config().seed(6).build(), 3), "another run seed, other masks");
    }

    /** Which rows each training step's StochasticDepth dropped ('x') or kept ('.'). */
    private List<String> masks(TrainConfig config, long modelSeed) throws IOException {
        List<String> out = new ArrayList<>();
        try (Residual model = new Residual(modelSeed);
             Module.HookHandle hook = model.drop.registerForwardHook((m, x, y) -> {
                 if (m.isTraining()) {
                     out.add(dropped(y));
                 }
             })) {
            new Fit(config, model, data(64, 32), backend).run(null);
        }
        return out;
    }

    private static String dropped(Tensor y) {
        float[] v = y.toFloatArray();
        int rows = y.dim(0);
        int per = v.length / rows;
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            boolean zero = true;
            for (int i = r * per; i < (r + 1) * per && zero; i++) {
                zero = v[i] == 0f;
            }
            s.append(zero ? 'x' : '.');
        }
        return s.toString();
    }

    @Test
    void stopAndResumeWithStochasticDepthGivesTheUninterruptedRun() throws IOException {
        TrainConfig config = config().epochs(2).build();
        Path straight = tmp.resolve("straight");
        try (Residual model = new Residual(3)) {
            new Fit(config, model, data(64, 32), backend).run(straight);
        }
        Path split = tmp.resolve("split");
        try (Residual model = new Residual(3)) {
            new Fit(config, model, data(64, 32), backend).stopAfter(1).run(split);
        }
        try (Residual model = new Residual(99)) {
            new Fit(config, model, data(64, 32), backend).resume(split.resolve("last.safetensors"), split);
        }
        Map<String, float[]> a = FitFixtures.tensors(straight.resolve("last.safetensors"), backend);
        Map<String, float[]> b = FitFixtures.tensors(split.resolve("last.safetensors"), backend);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
    }
}
