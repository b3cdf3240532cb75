package org.cnn4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cnn models}: every model in the zoo with its parameter count and default input. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model zoo: name, parameters (default head), default input, description.")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-16s %13s  %-10s  %s%n", "model", "parameters", "input", "description");
        // counted on the shape-only backend: exact shapes, no weight memory, no initialisation work
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend())) {
            for (String name : ModelRegistry.names()) {
                ModelRegistry.Entry e = ModelRegistry.entry(name);
                long params;
                try (Module m = ModelRegistry.create(name, ModelOptions.DEFAULTS)) {
                    params = m.parameterCount();
                }
                int[] d = e.defaultInput();
                out.printf("%-16s %,13d  %-10s  %s%n", name, params, d[0] + "x" + d[1] + "x" + d[2],
                        e.description());
            }
        }
        out.flush();
        return 0;
    }
}
