package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.FiniteCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn infer}: runs a zoo model in eval mode on tensor {@code input} of a safetensors file. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a model (eval mode) on tensor 'input' (float32 NxCxHxW) of a safetensors file and write"
                + " tensor 'output'.")
public final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs args;

    @Option(names = "--input", required = true, description = "Safetensors file holding tensor 'input'.")
    Path input;

    @Option(names = "--output", required = true, description = "Safetensors file to write tensor 'output' to.")
    Path output;

    @Override
    public Integer call() throws IOException {
        ModelOptions opts = args.options();
        Backend be = args.backend();
        try (Backends.Use use = Backends.use(be); Module net = args.create(opts);
             MemoryScope scope = MemoryScope.open()) {
            args.loadWeights(net, be);
            Map<String, Tensor> in = Safetensors.load(input, be);
            Tensor x = in.get("input");
            if (x == null) {
                throw new IllegalArgumentException(input + ": no tensor named 'input'; it holds "
                        + Names.list(in.keySet()));
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
            requireFinite(x, y);
            Safetensors.save(output, Map.of("output", y), Map.of("model", args.model, "weights",
                    args.weights == null ? "(in the model file)" : String.valueOf(args.weights.getFileName())));
            spec.commandLine().getOut().println("wrote output " + y.shape() + " to " + output);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** NaN or infinite outputs are a failure, not a result: nothing is written, and the input is examined. */
    private void requireFinite(Tensor x, Tensor y) {
        long[] out = FiniteCheck.count(y);
        if (out[0] + out[1] == 0) {
            return;
        }
        long[] in = FiniteCheck.count(x);
        throw new IllegalStateException(String.format(Locale.ROOT, "the model's output holds %d NaN and %d infinite"
                + " values of %d (%s); %s was not written", out[0], out[1], y.numel(), in[0] + in[1] > 0
                ? "the input itself holds " + in[0] + " NaN and " + in[1] + " infinite values"
                : "the input is finite, so the values overflow inside the model", output));
    }
}
