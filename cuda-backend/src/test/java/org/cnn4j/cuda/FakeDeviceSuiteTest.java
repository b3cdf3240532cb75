package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU tests must be able to fail. On the fake driver ({@link FakeCudaLibraries}: every call succeeds, no memory
 * is ever written, so every read of device memory gives zeros) a test that still passes does not look at what the
 * device computed. This runs every {@code @RequiresCuda} class in a child JVM on the fakes and expects each class
 * that checks numbers to have failing tests, and no test whose name promises a numerical comparison to pass.
 * Tests that do pass there check no device result: argument errors, memory-scope and module bookkeeping (flags,
 * shapes, hooks, registration), the context binding of a driver query; plus, at the time of writing,
 * OptimizerContract's parametersWithoutGradientsAreLeftAlone and stateDictRestoresTrainingExactly, which compare the
 * device with itself (values read back before and after) and so cannot see a device that loses data.
 */
class FakeDeviceSuiteTest {
    /** Classes that pass on a device that computes nothing, and why that is right for them. */
    private static final Map<String, String> MAY_PASS = Map.of();

    /**
     * Test names that promise a numerical comparison (gradient checks, PyTorch goldens, CPU parity, references): none
     * of these may pass on the fake device, whatever the rest of its class does.
     */
    private static final Pattern NUMERICAL_TEST = Pattern.compile(
            "(Gradients?\\(|\\sgradient|(?<!Mis)[Mm]atches|Reproduce|Golden|Parity|Reference)");
    private static final Pattern PASSED_LINE = Pattern.compile("(?m)^passed (\\S+) (.+)$");

    private static final Pattern CLASS_LINE = Pattern.compile("(?m)^class (\\S+) passed=(\\d+) failed=(\\d+)"
            + " skipped=(\\d+)$");

    @TempDir
    Path fakes;

    /** Simple names of the top-level classes beside this one that carry {@code @RequiresCuda}. */
    private static Set<String> requiresCudaClasses() throws Exception {
        Path dir = Paths.get(FakeDeviceSuiteTest.class.getResource("FakeDeviceSuiteTest.class").toURI()).getParent();
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (file.endsWith(".class") && !file.contains("$")) {
                    String name = file.substring(0, file.length() - ".class".length());
                    Class<?> c = Class.forName("org.cnn4j.cuda." + name, false,
                            FakeDeviceSuiteTest.class.getClassLoader());
                    if (c.isAnnotationPresent(RequiresCuda.class)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    @Test
    void everyNumericalGpuTestClassFailsOnADeviceThatComputesNothing() throws Exception {
        String why = FakeCudaLibraries.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "fake-device suite test skipped: " + why);
        FakeCudaLibraries.build(fakes);
        FakeCudaLibraries.Child child = FakeCudaLibraries.run(fakes, FakeDeviceSuiteMain.class,
                Map.of("CUDA_LAUNCH_BLOCKING", "1"));
        String out = child.output();
        assertEquals(0, child.exitCode(), out);

        Map<String, int[]> counts = new TreeMap<>();
        Matcher m = CLASS_LINE.matcher(out);
        while (m.find()) {
            counts.put(m.group(1).replaceFirst("^org\\.cnn4j\\.cuda\\.", ""), new int[] {Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
        }
        assertEquals(requiresCudaClasses(), counts.keySet(), "the @RequiresCuda classes the child ran\n" + out);
        System.out.println("fake-device run: " + counts.size() + " @RequiresCuda classes, each with failing tests; "
                + out.lines().filter(l -> l.startsWith("passed ")).count() + " tests pass there (none numerical)");
        List<String> problems = new ArrayList<>();
        counts.forEach((cls, c) -> {
            if (c[2] > 0) {
                problems.add(cls + ": " + c[2] + " skipped (the fake device is available: nothing may skip)");
            }
            boolean failedSome = c[1] > 0;
            if (!failedSome && !MAY_PASS.containsKey(cls)) {
                problems.add(cls + ": all " + c[0] + " tests pass on a device that computes nothing");
            }
            if (failedSome && MAY_PASS.containsKey(cls)) {
                problems.add(cls + ": listed as passing legitimately but " + c[1] + " tests fail; update MAY_PASS");
            }
        });
        Matcher passed = PASSED_LINE.matcher(out);
        while (passed.find()) {
            if (NUMERICAL_TEST.matcher(" " + passed.group(2)).find()) {
                problems.add(passed.group(1) + " " + passed.group(2) + ": a numerical test passes on a device that"
                        + " computes nothing");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + out);
    }
}
