package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JCudnn Java classes are 11.7.0 while the JNI library is 12.6.0 (built against cuDNN 9, which dropped some
 * functions). A missing JNI function only fails when first called, on a GPU. This test finds every JCuda API
 * the backend's classes call and checks that the matching native method exists in the 12.6.0 libraries. A JNI
 * symbol names only the method, not its argument types, so a second test calls each JCudnn function through the
 * real 12.6.0 library into a recording fake cuDNN and checks the arguments arrive where the 11.7 signature puts them
 * ({@link JniArgumentsCheck}).
 */
class JniBindingTest {
    private static final Map<String, String> LIBRARIES = Map.of(
            "jcuda/jcudnn/JCudnn", "JCudnn",
            "jcuda/jcublas/JCublas2", "JCublas2",
            "jcuda/driver/JCudaDriver", "JCudaDriver");

    @Test
    void everyJCudaFunctionTheBackendCallsExistsInTheNativeLibraries() throws Exception {
        Path classes = Paths.get(CudaBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String[]> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("org/cnn4j/cuda"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                calls.addAll(methodRefs(Files.readAllBytes(f)));
            }
        }
        TreeSet<String> checked = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String[] call : calls) {
            String lib = LIBRARIES.get(call[0]);
            if (lib == null) {
                continue;
            }
            Class<?> cls = Class.forName(call[0].replace('/', '.'), false, getClass().getClassLoader());
            String nativeName = call[1] + "Native";
            boolean hasNative = false;
            for (Method m : cls.getDeclaredMethods()) {
                hasNative |= m.getName().equals(nativeName) && Modifier.isNative(m.getModifiers());
            }
            if (!hasNative) {
                continue;  // a pure-Java helper such as setExceptionsEnabled
            }
            String symbol = "Java_" + call[0].replace("_", "_1").replace('/', '_') + "_" + nativeName.replace("_", "_1");
            if (checked.add(symbol) && !librarySymbols(lib).contains(symbol + "\0")) {
                missing.add(symbol + " (lib" + lib + "-" + CudaNatives.jcudaVersion() + ")");
            }
        }
        assertTrue(checked.size() > 40, "found the backend's JCuda calls: " + checked.size());
        assertTrue(missing.isEmpty(), "JNI functions missing from the natives: " + missing);
    }

    @Test
    void everyJCudnnCallReachesCudnnWithTheArgumentsOfThe117Signature(@TempDir Path fakes) throws Exception {
        String why = FakeCudaLibraries.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "JNI argument check skipped: " + why);
        FakeCudaLibraries.build(fakes);
        FakeCudaLibraries.Child child = FakeCudaLibraries.run(fakes, JniArgumentsCheck.class,
                Map.of("FAKE_CUDNN_LOG", fakes.resolve("cudnn-calls.log").toString()));
        assertEquals(0, child.exitCode(), child.output());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("checked (\\d+) JCudnn functions, 0 mismatches")
                .matcher(child.output());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 30, "the backend's cuDNN calls were checked: "
                + child.output());
    }

    private static final Map<String, String> SYMBOLS = new java.util.HashMap<>();

    private static String librarySymbols(String lib) throws IOException {
        String cached = SYMBOLS.get(lib);
        if (cached == null) {
            try (InputStream in = JniBindingTest.class.getResourceAsStream("/lib/"
                    + CudaNatives.libraryFileName(lib))) {
                cached = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            SYMBOLS.put(lib, cached);
        }
        return cached;
    }

    /** {owner, name, descriptor} of each Methodref in a class file's constant pool. */
    static List<String[]> methodRefs(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] refs = new int[count][];
        int[] natNameIndex = new int[count];
        int[] natTypeIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 10 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 9, 11, 17, 18 -> in.readInt();
                case 12 -> {
                    natNameIndex[i] = in.readUnsignedShort();
                    natTypeIndex[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String[]> out = new ArrayList<>();
        for (int[] r : refs) {
            if (r != null) {
                out.add(new String[] {utf8[classNameIndex[r[0]]], utf8[natNameIndex[r[1]]], utf8[natTypeIndex[r[1]]]});
            }
        }
        return out;
    }
}
