package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile .pth files of tools/golden/make_pth_hostile.py (MANIFEST.tsv lists each with the fragment its error
 * must contain). Half of them run a command under Python's pickle (the script proves it with torch.load); here
 * each must fail through the CLI with exit 1 and exactly one line naming the file and the problem, write no
 * output, and leave no marker file behind.
 */
class PthHostileFilesTest {
    private static final String FOLDER = "/org/cnn4j/cli/pth/hostile/";
    /** What the payloads would create in the working directory (surefire runs in the module folder). */
    private static final Path MARKER = Path.of("cnn4j-pth-hostile.marker");

    @TempDir
    Path dir;

    static Stream<Arguments> manifest() throws IOException, URISyntaxException {
        Path folder = Path.of(PthHostileFilesTest.class.getResource(FOLDER).toURI());
        List<String> rows = Files.readAllLines(folder.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
        List<Arguments> cases = rows.stream().filter(r -> !r.startsWith("#") && !r.isBlank())
                .map(r -> r.split("\t"))
                .map(f -> Arguments.of(folder.resolve(f[0]), f[1], f[2])).toList();
        assertTrue(cases.size() >= 20, "at least 20 hostile files, found " + cases.size());
        return cases.stream();
    }

    @BeforeAll
    @AfterAll
    static void noMarker() {
        assertFalse(Files.exists(MARKER), "a hostile file ran code: " + MARKER.toAbsolutePath() + " exists");
    }

    private void assertOneLineFailure(ModelCommandsTestSupport.Result r, String command, Path file, String fragment,
                                      String what) {
        assertEquals(1, r.exitCode(), what + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), what + ": expected one line, got:\n" + r.err());
        assertTrue(err.startsWith("cnn " + command + ": " + file), what + ": should name the file: " + err);
        assertTrue(err.contains(fragment), what + ": should say '" + fragment + "': " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void convertRejectsItWithOneLine(Path file, String fragment, String what) {
        Path out = dir.resolve("out.safetensors");
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ConvertCommand(), "--input",
                file.toString(), "--output", out.toString());
        assertOneLineFailure(r, "convert", file, fragment, what);
        assertFalse(Files.exists(out), "no output for a rejected file");
        noMarker();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void inferRejectsItAsWeights(Path file, String fragment, String what) {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new InferCommand(), "--model", "lenet5",
                "--backend", "cpu", "--weights", file.toString(), "--input", dir.resolve("in").toString(),
                "--output", dir.resolve("out").toString());
        assertOneLineFailure(r, "infer", file, fragment, what);
        noMarker();
    }
}
