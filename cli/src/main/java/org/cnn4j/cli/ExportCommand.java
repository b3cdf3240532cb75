package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.onnx.Onnx;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn export}: a zoo model with its weights as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model with its weights as ONNX (eval mode, symbolic batch axis, parameters under"
                + " their state_dict names), atomically.")
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs args;

    @Option(names = "--output", required = true, description = "The .onnx file to write.")
    Path output;

    @Option(names = "--opset", defaultValue = "" + Onnx.DEFAULT_OPSET,
            description = "ONNX opset, " + Onnx.MIN_OPSET + " to " + Onnx.MAX_OPSET + ". Default: ${DEFAULT-VALUE}.")
    int opset;

    @Option(names = "--input", description = "Input size CxHxW traced for the graph (default: the model's); the"
            + " batch axis stays symbolic.")
    String inputShape;

    @Override
    public Integer call() throws IOException {
        ModelOptions opts = args.options();
        if (opset < Onnx.MIN_OPSET || opset > Onnx.MAX_OPSET) {
            throw OptionChecks.usage(spec, "--opset must be " + Onnx.MIN_OPSET + " to " + Onnx.MAX_OPSET
                    + ", got " + opset);
        }
        Shape shape = ModelCliSupport.inputShape(spec, args.model, inputShape);
        Backend be = args.backend();
        try (Backends.Use use = Backends.use(be); Module net = args.create(opts)) {
            args.loadWeights(net, be);
            Onnx.export(net, shape, output, opset);
        }
        spec.commandLine().getOut().println("wrote " + args.model + " (opset " + opset + ", input "
                + ModelCliSupport.dims(shape) + " with a symbolic batch) to " + output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
