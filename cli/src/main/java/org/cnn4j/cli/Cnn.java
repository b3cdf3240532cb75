package org.cnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code cnn} command: exit code 0 on success, 2 on a usage error, 1 on failure. */
@Command(name = "cnn", mixinStandardHelpOptions = true, version = "cnn4j 0.1.0",
        description = "Train and run convolutional neural networks on the JVM.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Cnn implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Cnn());
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler(new FailureHandler());
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("cnn: out of Java heap memory (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); give the JVM more with JAVA_OPTS=-Xmx8g, or use a smaller --batch-size");
            return 1;
        }
    }

    @Override
    public void run() {
        // the full usage, with the subcommands (a fresh CommandLine(this) would not list them)
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
