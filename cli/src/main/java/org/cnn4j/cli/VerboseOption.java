package org.cnn4j.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, which every command accepts; {@link FailureHandler} reads it from the parse result. */
final class VerboseOption {
    @Option(names = {"-v", "--verbose"}, description = "print the stack trace on failure")
    boolean verbose;
}
