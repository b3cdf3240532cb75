package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cnn4j.io.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn convert}: a weights file (PyTorch .pth or safetensors) to safetensors. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Write the state_dict of a weights file (PyTorch .pth/.pt in zip or legacy format, or"
                + " safetensors; recognised by content) as safetensors, atomically.")
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "The weights file to read.")
    Path input;

    @Option(names = "--output", required = true, description = "The safetensors file to write.")
    Path output;

    @Option(names = "--weights-key", description = ModelArgs.WEIGHTS_KEY_HELP)
    String weightsKey;

    @Option(names = "--dtype", defaultValue = "f32",
            description = "f32 (every tensor as float32) or stored (each tensor's stored type: F16, BF16, I64, ...)."
                    + " Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = {"-v", "--verbose"}, description = "Print the stack trace on failure.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        OptionChecks.oneOf(spec, "--dtype", dtype, "f32", "stored");
        int count = Weights.convertToSafetensors(input, weightsKey, output, dtype.equalsIgnoreCase("stored"));
        spec.commandLine().getOut().println("wrote " + count + " tensors to " + output
                + (dtype.equalsIgnoreCase("stored") ? " (stored types)" : " (float32)"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
