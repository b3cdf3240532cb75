package org.cnn4j.cli;

import java.util.Arrays;
import java.util.List;

import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.models.OnnxModels;
import org.cnn4j.tensor.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Option parsing shared by the model commands (models, summary, infer, predict). */
final class ModelCliSupport {
    private ModelCliSupport() {
    }

    /** The registry options for {@code --num-classes} (0 = the model's default); bad values are usage errors. */
    static ModelOptions options(CommandSpec spec, String model, Integer numClasses) {
        OptionChecks.model(spec, model);
        if (numClasses != null) {
            OptionChecks.atLeast(spec, "--num-classes", numClasses, 1);
        }
        return numClasses == null ? ModelOptions.DEFAULTS : ModelOptions.numClasses(numClasses);
    }

    /** Parses "CxHxW" (batch 1) or "NxCxHxW"; the model's default input when {@code text} is null. */
    static Shape inputShape(CommandSpec spec, String model, String text) {
        if (text == null) {
            int[] d = OnnxModels.isOnnx(model) ? OnnxModels.declaredInput(model)
                    : ModelRegistry.entry(model).defaultInput();
            if (d == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), model + " declares no fixed input size;"
                        + " give --input CxHxW");
            }
            return Shape.of(1, d[0], d[1], d[2]);
        }
        String[] parts = text.trim().toLowerCase().split("x");
        try {
            int[] dims = Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
            if ((dims.length == 3 || dims.length == 4) && Arrays.stream(dims).allMatch(d -> d > 0)) {
                return dims.length == 3 ? Shape.of(1, dims[0], dims[1], dims[2]) : Shape.of(dims);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--input expects CxHxW or NxCxHxW with"
                + " positive sizes, e.g. 3x224x224, got '" + text + "'");
    }

    static List<Integer> dims(Shape s) {
        return Arrays.stream(s.dims()).boxed().toList();
    }
}
