package org.cnn4j.cpu;

/**
 * Decides once whether the CPU kernels use the JDK Vector API. It is an incubator module, present only when the
 * JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code cnn} launcher, the Docker image and
 * the test configuration do this); {@code -Dcnn4j.cpu.vector=false} forces the scalar kernels. The vector classes
 * are only touched after this check, so the backend still loads and runs without the module.
 */
final class VectorSupport {
    static final String MODULE = "jdk.incubator.vector";
    /** True when the vector kernels are in use. */
    static final boolean ENABLED = decide(System.getProperty("cnn4j.cpu.vector"),
            ModuleLayer.boot().findModule(MODULE).isPresent());

    private VectorSupport() {
    }

    /** The decision, separated from its inputs so it can be tested. */
    static boolean decide(String property, boolean modulePresent) {
        if (property != null && property.trim().equalsIgnoreCase("false")) {
            return false;
        }
        return modulePresent && vectorGemmWorks();
    }

    /** First use behind a catch: a JVM that lists the module but cannot link or run it falls back to scalar. */
    private static boolean vectorGemmWorks() {
        try {
            int m = 7, n = 19, k = 5;
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (i % 5) - 2;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (i % 3) - 1;
            }
            float[] got = new float[m * n], want = new float[m * n];
            VectorGemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, got, 0, n);
            CpuGemm.reference(false, false, m, n, k, 1f, a, 0, b, 0, 0f, want, 0);
            return java.util.Arrays.equals(got, want); // small integers: exact in any summation order
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** A short description for logs, e.g. "Vector API 512-bit" or "scalar". */
    static String describe() {
        return ENABLED ? "Vector API " + VectorGemm.vectorBits() + "-bit" : "scalar (no " + MODULE + ")";
    }
}
