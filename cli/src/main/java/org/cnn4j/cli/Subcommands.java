package org.cnn4j.cli;

import java.util.List;

/** The subcommands of {@code cnn}, in help order. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(new TrainCommand(), new EvalCommand(), new ModelsCommand(), new SummaryCommand(),
                new InferCommand(), new PredictCommand(), new ConvertCommand(), new ExportCommand(), new BenchCommand(),
                new DoctorCommand(), new ExplainCommand());
    }
}
