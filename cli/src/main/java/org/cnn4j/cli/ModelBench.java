package org.cnn4j.cli;

import java.util.Map;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.cuda.CudaBackend;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
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

    static BenchResult run(String name, String mode, int batch, int size, Backend backend, int warmup, int runs,
                           int memorySteps) {
        boolean train = switch (mode) {
            case "train" -> true;
            case "infer" -> false;
            default -> throw new IllegalArgumentException("--mode must be train or infer, got '" + mode + "'");
        };
        ModelRegistry.Entry entry = ModelRegistry.entry(name);
        int channels = entry.defaultInput()[0];
        int side = size > 0 ? size : entry.defaultInput()[1];
        Random random = new Random(0);
        int[] labels = new int[batch];
        try (Module model = ModelRegistry.create(name, ModelOptions.DEFAULTS);
             Tensor x = Tensor.randn(backend, Shape.of(batch, channels, side, side), random).persist();
             SGD sgd = new SGD(model.parameters(), 0.01, 0.9)) {
            int classes;
            try (MemoryScope probe = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                classes = model.eval().call(x).dim(1);
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(classes);
            }
            String caseName = String.format("%s %s b%d %dx%d", name, mode, batch, side, side);
            if (train) {
                model.train();
                Runnable step = () -> {
                    try (MemoryScope scope = MemoryScope.open()) {
                        Tensor loss = TrainingLoss.of(model, x, l -> Losses.crossEntropy(l, labels)).loss();
                        sgd.zeroGrad();
                        loss.backward();
                        sgd.step();
                    }
                };
                BenchResult r = BenchResult.time(caseName, "model-" + mode, backend, warmup, runs, 0, batch, step);
                if (memorySteps > 0) {
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
            model.eval();
            return BenchResult.time(caseName, "model-" + mode, backend, warmup, runs, 0, batch, () -> {
                try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                    model.call(x);
                }
            });
        }
    }

    /** Live bytes; on CUDA also the allocator's cached, reserved and workspace bytes and the driver's used bytes. */
    private static Map<String, Long> memoryStats(Backend backend) {
        return backend instanceof CudaBackend cuda ? cuda.memoryStats() : Map.of("live_bytes", backend.liveBytes());
    }
}
