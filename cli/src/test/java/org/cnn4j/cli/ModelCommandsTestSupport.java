package org.cnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs one model command through picocli with the root command's failure handler, capturing its output. */
final class ModelCommandsTestSupport {
    record Result(int exitCode, String out, String err) {
    }

    private ModelCommandsTestSupport() {
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(new FailureHandler());
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
