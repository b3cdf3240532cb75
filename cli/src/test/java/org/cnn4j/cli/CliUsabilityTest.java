package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line as a user meets it: usage text, exit codes, one-line failures, --verbose everywhere. */
class CliUsabilityTest {
    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void noArgumentsListsTheSubcommands() {
        CliRun r = run();
        assertEquals(0, r.code());
        for (String sub : new String[] {"train", "eval", "models", "summary", "infer", "predict", "convert", "bench", "doctor"}) {
            assertTrue(r.out().contains("  " + sub + " "), sub + " missing from:\n" + r.out());
        }
    }

    @Test
    void everyOptionOfEveryCommandIsDescribed() {
        CommandLine root = new CommandLine(new Cnn());
        for (Object sub : Subcommands.all()) {
            root.addSubcommand(sub);
        }
        for (CommandLine cl : root.getSubcommands().values()) {
            for (OptionSpec o : cl.getCommandSpec().options()) {
                String text = String.join(" ", o.description()).trim();
                assertFalse(text.isEmpty(), "cnn " + cl.getCommandName() + " " + o.longestName() + " has no --help text");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--optimizer=foo", "--schedule=bar", "--model=nope", "--backend=gpu", "--dataset=mnist",
        "--limit-train=-5", "--limit-test=-1", "--epochs=0", "--batch-size=0"})
    void badTrainOptionsAreUsageErrorsBeforeAnyWork(String option) {
        Path out = tmp.resolve("run");
        CliRun r = run("train", "--out", out.toString(), option);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(option.substring(0, option.indexOf('=')).replace("--model", "model")), r.err());
        assertFalse(r.out().contains("data:"), "no data loaded before the check: " + r.out());
        assertFalse(Files.exists(out), "no output folder created for a usage error");
    }

    @Test
    void missingResumeFileSaysSo() {
        Path missing = tmp.resolve("gone.safetensors");
        CliRun r = run("train", "--backend", "cpu", "--out", tmp.resolve("run").toString(), "--resume", missing.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cnn train: " + missing + ": no such file or folder"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void modelCommandsAcceptVerbose() {
        Path missing = tmp.resolve("w.safetensors");
        String[] infer = {"infer", "--model", "lenet5", "--backend", "cpu", "--weights", missing.toString(),
            "--input", missing.toString(), "--output", tmp.resolve("o.safetensors").toString()};
        CliRun quiet = run(infer);
        assertEquals(1, quiet.code(), quiet.err());
        assertTrue(quiet.err().contains(missing + ": no such file or folder"), quiet.err());
        assertFalse(quiet.err().contains("\tat "), quiet.err());
        CliRun verbose = run(concat(infer, "--verbose"));
        assertEquals(1, verbose.code(), verbose.err());
        assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose: " + verbose.err());
        assertEquals(1, run("summary", "--model", "alexnet", "--input", "3x32x32", "--verbose").code());
        assertEquals(0, run("models", "--verbose").code());
        assertEquals(2, run("infer", "--model", "lenet5", "--backend", "gpu", "--weights", "w", "--input", "i",
                "--output", "o").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--op conv", "--op foo --input 1,1,4,4", "--model lenet5 --batch-size 0",
        "--model lenet5 --mode foo", "--model nope", "--op conv --input 1,2,3",
        "--op conv --input 1,1,2,2 --kernel 5 --padding 0", "--op conv --input 1,1,4,4 --runs 0",
        "--op conv --input 1,1,4,4 --backend gpu", "--op conv --input 1,1,4,4 --profile",
        "--model lenet5 --mode train --profile --memory-steps 2", "--model lenet5 --profile --profile-rows 0"})
    void badBenchOptionsAreUsageErrors(String options) {
        String[] args = concat(new String[] {"bench"}, options.isEmpty() ? new String[0] : options.split(" "));
        CliRun r = run(args);
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void benchModeIsCaseInsensitiveLikeItsCheck() {
        CliRun r = run("bench", "--model", "lenet5", "--mode", "TRAIN", "--batch-size", "1", "--runs", "1",
                "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("lenet5 train b1"), r.out());
    }

    @Test
    void kernelLargerThanInputIsNamed() {
        CliRun r = run("bench", "--op", "conv", "--input", "1,1,2,2", "--kernel", "5", "--padding", "0");
        assertTrue(r.err().contains("--kernel 5 is larger than the padded input 2x2"), r.err());
    }

    @Test
    void fileSystemExceptionsNameTheProblem() {
        assertEquals("a/b: no such file or folder", FailureHandler.message(new NoSuchFileException("a/b")));
        assertEquals("plain", FailureHandler.message(new IllegalStateException("plain")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
