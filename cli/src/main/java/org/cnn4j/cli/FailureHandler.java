package org.cnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints a failure as one line ("cnn train: message"); the stack trace only with {@code --verbose}. */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        boolean verbose = parsed.expandedArgs().contains("--verbose") || parsed.expandedArgs().contains("-v");
        String where = cl.getCommandName();
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("cnn " + where + ": " + message);
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("(run with --verbose for the stack trace)");
        }
        cl.getErr().flush();
        return 1;
    }
}
