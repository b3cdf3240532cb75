package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn infer}: runs a zoo model in eval mode on tensor {@code input} of a safetensors file. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a model (eval mode) on tensor 'input' (float32 NxCxHxW) of a safetensors file and write"
                + " tensor 'output'.")
public final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model name (see `cnn models`).")
    String model;

    @Option(names = "--num-classes", description = "Number of output classes (default: the model's).")
    Integer numClasses;

    @Option(names = "--weights", required = true, description = "Weights (a state_dict) as .safetensors.")
    Path weights;

    @Option(names = "--input", required = true, description = "Safetensors file holding tensor 'input'.")
    Path input;

    @Option(names = "--output", required = true, description = "Safetensors file to write tensor 'output' to.")
    Path output;

    @Option(names = "--backend", description = "cpu, cuda or auto (default: -Dcnn4j.backend / CNN4J_BACKEND / auto).")
    String backend;

    @Override
    public Integer call() throws IOException {
        ModelOptions opts = ModelCliSupport.options(spec, model, numClasses);
        Backend be = backend == null ? Backends.current() : Backends.get(backend);
        try (Backends.Use use = Backends.use(be); Module net = ModelRegistry.create(model, opts);
             MemoryScope scope = MemoryScope.open()) {
            loadWeights(net, model, weights, be);
            Map<String, Tensor> in = Safetensors.load(input, be);
            Tensor x = in.get("input");
            if (x == null) {
                throw new IllegalArgumentException(input + ": no tensor named 'input'; it holds " + in.keySet());
            }
            if (x.rank() != 4) {
                throw new IllegalArgumentException(input + ": tensor 'input' must be float32 NxCxHxW, got shape "
                        + x.shape());
            }
            net.eval();
            Tensor y;
            try (NoGrad ng = NoGrad.enter()) {
                y = net.call(x);
            }
            Safetensors.save(output, Map.of("output", y), Map.of("model", model, "weights",
                    String.valueOf(weights.getFileName())));
            spec.commandLine().getOut().println("wrote output " + y.shape() + " to " + output);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** Strict load; a file that does not fit fails with every missing, unexpected and mis-shaped key. */
    static void loadWeights(Module net, String model, Path weights, Backend be) throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            net.loadStateDict(Safetensors.load(weights, be));
        } catch (StateDictException e) {
            throw new IllegalArgumentException(weights + " does not fit " + model + ": " + e.getMessage(), e);
        }
    }
}
