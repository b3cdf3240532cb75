package org.cnn4j.cuda;

import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jcuda.NativePointerObject;
import jcuda.jcudnn.JCudnn;

/**
 * Child-JVM entry of {@link JniBindingTest}: calls every JCudnn method the backend uses, through the JCudnn 11.7.0
 * Java classes and the real 12.6.0 JNI library, into the recording fake libcudnn.so.9 of {@link FakeCudaLibraries},
 * and checks that cuDNN received exactly the arguments given, in the registers and stack slots the x86-64 System V
 * ABI assigns from the 11.7 declaration. A JNI function compiled for another Java signature (a double where 11.7
 * passes an int, an array where it passes a Pointer, a missing or extra argument) reads its arguments from the
 * wrong places, and the values cuDNN sees differ. Outputs written by the fake (algorithm results, workspace sizes,
 * handles) must come back into the 11.7 objects' fields. Prints one line per function; exit 0 when all match.
 */
public final class JniArgumentsCheck {
    private static final long HANDLE_BASE = 0x7e5700000000L;
    private static final long FAKE_HANDLES = 0x7e5800000000L;
    private static final int GP = 6;
    private static final int SSE = 8;

    private JniArgumentsCheck() {
    }

    /** Where an argument lands and what must be there. */
    private record Expect(int param, String where, int token, String kind, long value) {
    }

    public static void main(String[] args) throws Exception {
        Path log = Paths.get(System.getenv("FAKE_CUDNN_LOG"));
        CudaNatives.loadWith(() -> JCudnn.setExceptionsEnabled(false), "JCudnn");
        Map<String, Method> methods = backendCalls();
        int bad = 0;
        for (Method m : methods.values()) {
            Files.deleteIfExists(log);
            String problem;
            try {
                problem = check(m, log);
            } catch (Throwable t) {
                problem = "threw " + t;
            }
            System.out.println((problem == null ? "ok       " : "MISMATCH ") + m.getName()
                    + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString()
                    + (problem == null ? "" : ": " + problem));
            bad += problem == null ? 0 : 1;
        }
        System.out.println("checked " + methods.size() + " JCudnn functions, " + bad + " mismatches");
        System.exit(bad == 0 ? 0 : 1);
    }

    /** The JCudnn methods (with a native counterpart) referenced by the backend's classes, by name and descriptor. */
    static Map<String, Method> backendCalls() throws Exception {
        Path classes = Paths.get(CudaBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Method> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve("org/cnn4j/cuda"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                for (String[] ref : JniBindingTest.methodRefs(Files.readAllBytes(f))) {
                    if (!ref[0].equals("jcuda/jcudnn/JCudnn")) {
                        continue;
                    }
                    for (Method m : JCudnn.class.getMethods()) {
                        String desc = MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                                .toMethodDescriptorString();
                        if (m.getName().equals(ref[1]) && desc.equals(ref[2]) && hasNative(m.getName())) {
                            out.put(m.getName() + desc, m);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean hasNative(String name) {
        for (Method m : JCudnn.class.getDeclaredMethods()) {
            if (m.getName().equals(name + "Native") && Modifier.isNative(m.getModifiers())) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code m} with distinctive arguments; null when cuDNN saw them all, else what differed. */
    private static String check(Method m, Path log) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        Object[] values = new Object[types.length];
        List<Expect> expects = new ArrayList<>();
        int gp = 0;
        int sse = 0;
        int stack = 0;
        boolean create = m.getName().startsWith("cudnnCreate");
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            boolean floating = t == float.class || t == double.class;
            String where;
            int token;
            if (floating && sse < SSE) {
                where = "xmm" + sse;
                token = 1 + GP + sse++;
            } else if (!floating && gp < GP) {
                where = "gp" + gp;
                token = 1 + gp++;
            } else {
                where = "stack" + stack;
                token = 1 + GP + SSE + stack++;
            }
            if (stack > FakeCudaLibraries.STACK_SLOTS) {
                return "more stack arguments than the fake records";
            }
            if (t == int.class) {
                values[i] = 0x30 + i;
                expects.add(new Expect(i, where, token, "int", 0x30 + i));
            } else if (t == long.class) {
                values[i] = 0x51000L + i;
                expects.add(new Expect(i, where, token, "long", 0x51000L + i));
            } else if (t == float.class) {
                values[i] = 0.5f + i;
                expects.add(new Expect(i, where, token, "float", Float.floatToRawIntBits(0.5f + i)));
            } else if (t == double.class) {
                values[i] = 0.25 + i;
                expects.add(new Expect(i, where, token, "double", Double.doubleToRawLongBits(0.25 + i)));
            } else if (NativePointerObject.class.isAssignableFrom(t)) {
                NativePointerObject o = (NativePointerObject) t.getConstructor().newInstance();
                long address = HANDLE_BASE + 0x1000L * (i + 1);
                setNativePointer(o, address);
                values[i] = o;
                expects.add(new Expect(i, where, token, create && i == 0 ? "out-address" : "pointer", address));
            } else if (t.isArray()) {
                Object array = Array.newInstance(t.getComponentType(), 256);
                if (!t.getComponentType().isPrimitive()) {
                    for (int k = 0; k < 256; k++) {
                        Array.set(array, k, t.getComponentType().getConstructor().newInstance());
                    }
                }
                values[i] = array;
                expects.add(new Expect(i, where, token, "address", 0));
            } else {
                return "cannot make an argument of type " + t.getName();
            }
        }
        Object result = m.invoke(null, values);
        if (!Files.exists(log)) {
            return "cuDNN was not called";
        }
        String line = Files.readAllLines(log).stream().filter(l -> l.startsWith(m.getName() + " ")).findFirst()
                .orElse(null);
        if (line == null) {
            return "cuDNN's " + m.getName() + " was not called; log: " + Files.readString(log).trim();
        }
        String[] tokens = line.split(" ");
        List<String> diffs = new ArrayList<>();
        for (Expect e : expects) {
            long got = Long.parseUnsignedLong(tokens[e.token()], 16);
            boolean ok = switch (e.kind()) {
                case "int", "float" -> (int) got == (int) e.value();  // the upper half of a 32-bit argument is undefined
                case "long", "double", "pointer" -> got == e.value();
                case "out-address" -> got != 0 && got != e.value();
                default -> got != 0;  // a copy of a Java array, somewhere in native memory
            };
            if (!ok) {
                diffs.add("argument " + e.param() + " (" + e.kind() + " in " + e.where() + "): expected "
                        + Long.toHexString(e.value()) + ", cuDNN got " + Long.toHexString(got));
            }
        }
        diffs.addAll(outputs(m, values, result));
        return diffs.isEmpty() ? null : String.join("; ", diffs);
    }

    /** What the fake wrote must arrive in the Java objects, and the status (or value) must come back. */
    private static List<String> outputs(Method m, Object[] values, Object result) throws Exception {
        List<String> diffs = new ArrayList<>();
        String name = m.getName();
        Object expected = switch (name) {
            case "cudnnGetVersion" -> 90501L;
            case "cudnnGetCudartVersion" -> 12040L;
            case "cudnnGetErrorString" -> "fake cudnn error";
            default -> m.getReturnType() == int.class ? 0 : null;
        };
        if (expected != null && !expected.equals(result)) {
            diffs.add("returned " + result + ", expected " + expected);
        }
        if (name.startsWith("cudnnCreate") && nativePointer((NativePointerObject) values[0]) < FAKE_HANDLES) {
            diffs.add("the handle cuDNN made did not reach the Java object");
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (name.endsWith("WorkspaceSize") && v instanceof long[] size && size[0] != 12345) {
                diffs.add("workspace size " + size[0] + ", expected 12345");
            }
            if (v instanceof Object[] perf && perf.length > 0 && hasField(perf[0], "algo")) {
                int[] count = (int[]) values[i - 1];
                Object p = perf[0];
                String got = count[0] + " result(s): algo " + field(p, "algo") + ", status " + field(p, "status")
                        + ", time " + field(p, "time") + ", memory " + field(p, "memory") + ", determinism "
                        + field(p, "determinism") + ", mathType " + field(p, "mathType");
                // JCudnn 12.6.0's JNI copies mathType back only for backward-filter results (its forward and
                // backward-data releaseNative set five fields, not six); CudnnConv.chosenMath relies on exactly this
                boolean mathReported = p.getClass().getSimpleName().equals("cudnnConvolutionBwdFilterAlgoPerf");
                String want = "1 result(s): algo 7, status 0, time 0.25, memory 4096, determinism 1, mathType "
                        + (mathReported ? 2 : 0);
                if (!got.equals(want)) {
                    diffs.add("performance results: " + got + "; expected " + want);
                }
            }
        }
        return diffs;
    }

    private static boolean hasField(Object o, String name) {
        try {
            o.getClass().getField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        return o.getClass().getField(name).get(o);
    }

    private static Field nativePointerField() throws NoSuchFieldException {
        Field f = NativePointerObject.class.getDeclaredField("nativePointer");
        f.setAccessible(true);
        return f;
    }

    private static void setNativePointer(NativePointerObject o, long address) throws ReflectiveOperationException {
        nativePointerField().setLong(o, address);
    }

    private static long nativePointer(NativePointerObject o) throws ReflectiveOperationException {
        return nativePointerField().getLong(o);
    }
}
