package org.cnn4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.models.ModelSummary;
import org.cnn4j.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cnn models}: the zoo grouped by family, each model with its parameters, MACs and default input. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model zoo by family: name, parameters and multiply-accumulates (conv + linear, one"
                + " image at the default input, default head), default input, description.")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<String>> families = new LinkedHashMap<>();
        for (String name : ModelRegistry.names()) {
            families.computeIfAbsent(ModelRegistry.entry(name).family(), f -> new ArrayList<>()).add(name);
        }
        out.printf("%-22s %13s %11s  %-10s  %s%n", "family / model", "parameters", "MMACs", "input", "description");
        for (Map.Entry<String, List<String>> family : families.entrySet()) {
            out.println(family.getKey());
            for (String name : family.getValue()) {
                ModelRegistry.Entry e = ModelRegistry.entry(name);
                int[] d = e.defaultInput();
                // counted on the shape-only backend: exact shapes, no weight memory, no arithmetic
                ModelSummary s = ModelSummary.of(name, ModelOptions.DEFAULTS, Shape.of(1, d[0], d[1], d[2]));
                out.printf("  %-20s %,13d %,11.1f  %-10s  %s%n", name, s.params(), s.macs() / 1e6,
                        d[0] + "x" + d[1] + "x" + d[2], e.description());
            }
        }
        out.flush();
        return 0;
    }
}
