package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.cnn4j.contract.FitFixtures.config;
import static org.cnn4j.contract.FitFixtures.data;
import static org.cnn4j.contract.FitFixtures.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cnn4j.backend.Backends;
import org.cnn4j.distributed.DistributedDataParallel;
import org.cnn4j.distributed.InProcessGroup;
import org.cnn4j.distributed.Ranks;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.train.Fit;
import org.cnn4j.train.NonFinitePolicy;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Fit#distributed}: two ranks of a global batch follow the single-process run; only rank 0 writes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class DistributedFitContract extends BackendTestBase {
    @TempDir
    Path tmp;

    private static TrainConfig sgd() {
        return config().optimizer(OptimizerKind.SGD).momentum(0.9).lr(0.05).batchSize(16).epochs(2).build();
    }

    /** Records every step's loss. */
    static final class Losses implements TrainListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public void stepFinished(int epoch, int step, int steps, double loss, double imagesPerSecond) {
            values.add(loss);
        }
    }

    private static float[] flat(Module m) {
        List<Float> all = new ArrayList<>();
        for (Tensor t : m.parameters()) {
            for (float v : t.toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    /**
     * 64 training images in global batches of 16 for 2 epochs (8 steps): the step loss both ranks report (the mean
     * of their shares' losses) is the single-process step loss within 1e-5 relative (the criterion; only the float summation order of
     * the batch sums differs), the replicas end bit-identical, and only rank 0 wrote files.
     */
    @Test
    void twoRanksFollowTheSingleProcessRun() throws Exception {
        Losses single = new Losses();
        float[] singleParams;
        try (Module model = net(3)) {
            new Fit(sgd(), model, data(64, 32), backend).addListener(single).run(null);
            singleParams = flat(model);
        }
        List<Module> replicas = List.of(net(3), net(4)); // rank 1's own init is replaced by rank 0's
        Path out = tmp.resolve("run");
        try {
            List<Ranks.Outcome<Losses>> ranks = Ranks.inProcess(2, Duration.ofSeconds(60), c -> {
                try (Backends.Use use = Backends.use(backend); MemoryScope scope = MemoryScope.open();
                     DistributedDataParallel ddp = new DistributedDataParallel(replicas.get(c.rank()), c)) {
                    Losses losses = new Losses();
                    new Fit(sgd(), replicas.get(c.rank()), data(64, 32), backend).distributed(ddp)
                            .addListener(losses).run(c.rank() == 0 ? out : null);
                    return losses;
                }
            });
            List<Double> l0 = ranks.get(0).get().values;
            List<Double> l1 = ranks.get(1).get().values;
            assertEquals(8, single.values.size());
            assertEquals(8, l0.size());
            assertEquals(8, l1.size());
            assertTrue(single.values.get(0) > 1.0 && single.values.get(0) < 2.0, "first loss " + single.values.get(0)
                    + ", expected about ln 4 (checked on the host)");
            for (int s = 0; s < 8; s++) {
                assertEquals(l0.get(s), l1.get(s), "every rank reports the global batch's loss, step " + s);
                assertEquals(single.values.get(s), l0.get(s), 1e-5 * single.values.get(s), "step " + s);
            }
            float[] p0 = flat(replicas.get(0));
            assertArrayEquals(p0, flat(replicas.get(1)), "the replicas differ");
            float maxDiff = 0;
            for (int i = 0; i < p0.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(p0[i] - singleParams[i]));
            }
            assertTrue(maxDiff < 1e-4, "parameters differ from the single-process run by " + maxDiff);
            assertTrue(Files.exists(out.resolve("last.safetensors")), "rank 0 wrote no checkpoint");
        } finally {
            replicas.forEach(Module::close);
        }
    }

    @Test
    void skippingNonFiniteStepsIsRefused() throws IOException {
        InProcessGroup group = InProcessGroup.create(1, Duration.ofSeconds(5));
        try (Module model = net(3); DistributedDataParallel ddp = new DistributedDataParallel(model, group.member(0))) {
            Fit fit = new Fit(config().onNonFinite(NonFinitePolicy.SKIP).build(), model, data(64, 32), backend);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit.distributed(ddp));
            assertTrue(e.getMessage().contains("stop policy"), e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }
    }
}
