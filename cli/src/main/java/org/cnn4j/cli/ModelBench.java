package org.cnn4j.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.cuda.CudaBackend;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Embedding;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Losses;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TrainingLoss;

/**
 * Whole-model benchmark cases: an inference forward pass, or a full training step (SGD with momentum; the loss as
 * {@code cnn train} computes it, auxiliary heads included).
 */
final class ModelBench {
    private ModelBench() {
    }

    /**
     * Times {@code name}'s step. With a {@code profiler}, {@code backend} must be its {@link StepProfiler#backend()}
     * and {@code runs} steps are recorded after the warm-up.
     */
    static BenchResult run(String name, String mode, int batch, int size, Backend backend, int warmup, int runs,
                           int memorySteps, StepProfiler profiler) {
        boolean train = switch (mode) {
            case "train" -> true;
            case "infer" -> false;
            default -> throw new IllegalArgumentException("--mode must be train or infer, got '" + mode + "'");
        };
        Shape inputShape = inputShape(ModelRegistry.entry(name).defaultInput(), batch, size);
        Random random = new Random(0);
        int[] labels = new int[batch];
        try (Module model = ModelRegistry.create(name, ModelOptions.DEFAULTS);
             Tensor x = sampleInput(model, backend, inputShape, random).persist();
             SGD sgd = new SGD(model.parameters(), 0.01, 0.9)) {
            int classes;
            try (MemoryScope probe = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                classes = model.eval().call(x).dim(1);
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(classes);
            }
            int[] d = inputShape.dims();
            String caseName = String.format(Locale.ROOT, "%s %s b%d %s", name, mode, batch,
                    d.length == 4 && d[2] == 1 ? "L" + d[3] : d[d.length - 2] + "x" + d[d.length - 1]);
            Phases phases = profiler == null ? p -> { } : profiler::phase;
            Runnable step;
            if (train) {
                model.train();
                step = () -> {
                    try (MemoryScope scope = MemoryScope.open()) {
                        phases.enter(StepProfiler.Phase.FORWARD);
                        Tensor loss = TrainingLoss.of(model, x, l -> Losses.crossEntropy(l, labels)).loss();
                        phases.enter(StepProfiler.Phase.OPTIMIZER);
                        sgd.zeroGrad();
                        phases.enter(StepProfiler.Phase.BACKWARD);
                        loss.backward();
                        phases.enter(StepProfiler.Phase.OPTIMIZER);
                        sgd.step();
                        phases.enter(null);
                    }
                };
            } else {
                model.eval();
                step = () -> {
                    try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                        phases.enter(StepProfiler.Phase.FORWARD);
                        model.call(x);
                        phases.enter(null);
                    }
                };
            }
            if (profiler != null) {
                return profile(caseName, mode, backend, warmup, runs, batch, model, profiler, step);
            }
            BenchResult r = BenchResult.time(caseName, "model-" + mode, backend, warmup, runs, 0, batch, step);
            if (train && memorySteps > 0) {
                backend.synchronize();
                Map<String, Long> before = memoryStats(backend);
                for (int i = 0; i < memorySteps; i++) {
                    step.run();
                }
                backend.synchronize();
                r.with("memory_steps", memorySteps);
                before.forEach((key, bytes) -> r.with(key + "_before", bytes));
                memoryStats(backend).forEach((key, bytes) -> r.with(key + "_after", bytes));
            }
            return r;
        }
    }

    private static BenchResult profile(String caseName, String mode, Backend backend, int warmup, int runs,
                                       int batch, Module model, StepProfiler profiler, Runnable step) {
        BenchResult.time(caseName, "warm-up", backend, warmup, 1, 0, batch, step); // nothing counts before attach
        profiler.attach(model);
        try (AutoCloseable layers = Module.addGlobalForwardHook(profiler)) {
            BenchResult r = BenchResult.timeRuns(caseName, "model-" + mode + "-profile", backend, runs, 0, batch,
                    () -> {
                        step.run();
                        profiler.stepDone();
                    });
            return r.with("profile_total_ms", profiler.totalMs())
                    .with("profile_categories", profiler.categoryTotals())
                    .with("profile_ops", profiler.opRows())
                    .with("profile_layers", profiler.layerRows());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The benchmark's input: the registry's default {@code C,H,W} at {@code batch}; {@code size > 0} replaces a
     * square image's side, or a sequence's length ({@code H == 1}).
     */
    static Shape inputShape(int[] defaultInput, int batch, int size) {
        int c = defaultInput[0], h = defaultInput[1], w = defaultInput[2];
        if (size > 0) {
            if (h == 1) {
                w = size;
            } else {
                h = size;
                w = size;
            }
        }
        return Shape.of(batch, c, h, w);
    }

    /** Random normal values, or random token ids when the model starts with an embedding. */
    private static Tensor sampleInput(Module model, Backend backend, Shape shape, Random random) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof Embedding e) {
                float[] ids = new float[(int) shape.numel()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 1 + random.nextInt(e.numEmbeddings() - 1);
                }
                return Tensor.of(backend, ids, shape);
            }
        }
        return Tensor.randn(backend, shape, random);
    }

    @FunctionalInterface
    private interface Phases {
        void enter(StepProfiler.Phase phase);
    }

    /** Live bytes; on CUDA also the allocator's cached, reserved and workspace bytes and the driver's used bytes. */
    private static Map<String, Long> memoryStats(Backend backend) {
        return backend instanceof CudaBackend cuda ? cuda.memoryStats() : Map.of("live_bytes", backend.liveBytes());
    }
}
