package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * The op-code table: ops.h (included by kernels.cu) is the text OpCodes generates. With
 * {@code -Dcnn4j.cuda.writeOpsHeader=true} the test rewrites ops.h instead of comparing; then run
 * tools/cuda/build-ptx.sh, since the PTX records ops.h's hash.
 */
class OpCodesTest {
    static final Path OPS_H = Paths.get("src/main/cuda/ops.h");

    @Test
    void opsHeaderIsGeneratedFromTheJavaTable() throws IOException {
        String expected = OpCodes.header();
        if (Boolean.getBoolean("cnn4j.cuda.writeOpsHeader")) {
            Files.writeString(OPS_H, expected, StandardCharsets.US_ASCII);
        }
        assertEquals(expected, Files.readString(OPS_H, StandardCharsets.US_ASCII),
                "src/main/cuda/ops.h is stale: regenerate it (its first lines say how), then run tools/cuda/build-ptx.sh");
    }

    /** kernels.cu's switch cases use ops.h's names, never bare numbers. */
    @Test
    void kernelSwitchCasesUseTheGeneratedNames() throws IOException {
        String kernels = Files.readString(Paths.get("src/main/cuda/kernels.cu"), StandardCharsets.US_ASCII);
        Set<String> names = new HashSet<>();
        Matcher defined = Pattern.compile("(\\w+) = \\d+").matcher(OpCodes.header());
        while (defined.find()) {
            names.add(defined.group(1));
        }
        Matcher label = Pattern.compile("\\bcase\\s+([^:]+):").matcher(kernels);
        Map<String, Integer> cases = new TreeMap<>();
        while (label.find()) {
            assertTrue(names.contains(label.group(1).trim()), "kernels.cu: case " + label.group(1)
                    + " is not an op code of ops.h " + names);
            cases.merge(label.group(1).trim(), 1, Integer::sum);
        }
        // one switch per op family, two for the activations (activation_fwd and activation_bwd)
        Map<String, Integer> expected = new TreeMap<>();
        names.forEach(n -> expected.put(n, n.startsWith("ACT_") ? 2 : 1));
        assertEquals(expected, cases, "every op code has its case(s) in kernels.cu");
    }

    @Test
    void codesWithinAFamilyAreDistinct() {
        assertDistinct(BinaryOp.values(), OpCodes::of);
        assertDistinct(UnaryOp.values(), OpCodes::of);
        assertDistinct(ScalarOp.values(), OpCodes::of);
        assertDistinct(Activation.values(), OpCodes::of);
    }

    private static <E extends Enum<E>> void assertDistinct(E[] values, ToIntFunction<E> code) {
        assertEquals(values.length, Arrays.stream(values).mapToInt(code).distinct().count(),
                "op codes of " + values[0].getDeclaringClass().getSimpleName() + " must be distinct");
    }
}
