package org.cnn4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for the NVIDIA libraries, built with gcc, so the real JCuda JNI libraries can be loaded and called on a
 * machine without a GPU: {@code libcuda.so.1} (one device, "cnn4j fake GPU", compute capability 9.0, driver CUDA
 * 12.4), {@code libcublas.so.13} (version 13.0.2, reached through the cuBLAS shim built from
 * tools/cuda/cublas-shim) and {@code libcudnn.so.9} (version 9.5.1). Every function the JNI libraries import is
 * exported; the cuDNN ones record the registers and stack slots they were called with in {@code $FAKE_CUDNN_LOG}
 * (see {@link JniArgumentsCheck}). Used from a child JVM with {@code LD_LIBRARY_PATH} pointing here, since the
 * libraries a JVM loaded cannot be replaced.
 */
final class FakeCudaLibraries {
    static final String DEVICE_NAME = "cnn4j fake GPU";
    static final String[] JNI = {"JCudaDriver", "JCublas2", "JCudnn"};
    /** Stack slots the cuDNN recorder keeps (batch-norm backward passes 13 arguments on the stack). */
    static final int STACK_SLOTS = 16;

    private FakeCudaLibraries() {
    }

    /** Why the fakes cannot be built here, or null when they can. */
    static String unavailableReason() {
        if (!CudaNatives.platform().equals("linux-x86_64")) {
            return "fake CUDA libraries need linux-x86_64, this is " + CudaNatives.platform();
        }
        for (String tool : new String[] {"gcc", "nm", "bash"}) {
            if (!onPath(tool)) {
                return tool + " not found on PATH";
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Builds the three fakes into {@code dir} and the cuBLAS shim into {@code dir/shim}. */
    static void build(Path dir) throws IOException, InterruptedException {
        Path jni = Files.createDirectories(dir.resolve("jni"));
        List<String> cuda = new ArrayList<>();
        List<String> cublas = new ArrayList<>();
        List<String> cudnn = new ArrayList<>();
        for (String lib : JNI) {
            Path so = jni.resolve(CudaNatives.libraryFileName(lib));
            try (InputStream in = FakeCudaLibraries.class.getResourceAsStream("/lib/" + so.getFileName())) {
                Files.write(so, in.readAllBytes());
            }
            for (String line : exec(dir, "nm", "-D", "--undefined-only", so.toString()).split("\n")) {
                String sym = line.trim().replaceFirst("^U ", "");
                if (sym.startsWith("cudnn") && sym.endsWith("@libcudnn.so.9")) {
                    cudnn.add(sym.substring(0, sym.indexOf('@')));
                } else if (sym.startsWith("cublas") && sym.contains("@libcublas.so.12")) {
                    cublas.add(sym.substring(0, sym.indexOf('@')));
                } else if (sym.startsWith("cu") && !sym.contains("@")) {
                    cuda.add(sym);
                }
            }
        }
        compile(dir, "libcuda.so.1", CUDA_C + stubs(cuda, CUDA_C), null);
        compile(dir, "libcublas.so.13", CUBLAS_C + stubs(cublas, CUBLAS_C), null);
        TreeSet<String> names = new TreeSet<>(cudnn);
        Files.writeString(dir.resolve("cudnn-trampolines.S"), trampolines(List.copyOf(names)));
        Files.writeString(dir.resolve("cudnn.map"), "libcudnn.so.9 {\n  global:\n"
                + String.join(";\n", names) + ";\n  local: *;\n};\n");
        compile(dir, "libcudnn.so.9", CUDNN_C.replace("STACK_SLOTS", Integer.toString(STACK_SLOTS)), "cudnn");
        URL cublasJni = FakeCudaLibraries.class.getResource("/lib/" + CudaNatives.libraryFileName("JCublas2"));
        String jar = cublasJni.getPath().replaceFirst("^file:", "").replaceFirst("!/.*$", "");
        exec(dir, "bash", repositoryRoot().resolve("tools/cuda/cublas-shim/build.sh").toString(), jar,
                dir.resolve("shim").toString());
    }

    private static Path repositoryRoot() {
        Path module = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
        return Files.isDirectory(module.resolve("../tools")) ? module.getParent() : module;
    }

    private static void compile(Path dir, String soname, String source, String versioned)
            throws IOException, InterruptedException {
        Path c = dir.resolve(soname + ".c");
        Files.writeString(c, source);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-w", "-o",
                dir.resolve(soname).toString(), c.toString(), "-Wl,-soname," + soname));
        if (versioned != null) {
            cmd.add(dir.resolve(versioned + "-trampolines.S").toString());
            cmd.add("-Wl,--version-script=" + dir.resolve(versioned + ".map"));
        }
        exec(dir, cmd.toArray(new String[0]));
    }

    /** {@code int name(void) { return 0; }} for every imported name the hand-written part does not define. */
    private static String stubs(List<String> names, String handWritten) {
        StringBuilder sb = new StringBuilder();
        for (String n : new TreeSet<>(names)) {
            if (!handWritten.contains(" " + n + "(")) {
                sb.append("int ").append(n).append("(void) { return 0; }\n");
            }
        }
        return sb.toString();
    }

    /** One entry per cuDNN function: put its index in eax and jump to the recorder, which saves the arguments. */
    private static String trampolines(List<String> names) {
        StringBuilder sb = new StringBuilder("    .text\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append("    .globl ").append(names.get(i)).append("\n    .type ").append(names.get(i))
                    .append(", @function\n").append(names.get(i)).append(": mov $").append(i)
                    .append(", %eax\n    jmp fake_entry\n");
        }
        int frame = 8 * (6 + 8 + STACK_SLOTS) + 8;  // 16-byte aligned at the call below (entry rsp = 8 mod 16)
        sb.append("fake_entry:\n    sub $").append(frame).append(", %rsp\n");
        String[] gp = {"rdi", "rsi", "rdx", "rcx", "r8", "r9"};
        for (int i = 0; i < 6; i++) {
            sb.append("    mov %").append(gp[i]).append(", ").append(8 * i).append("(%rsp)\n");
        }
        for (int i = 0; i < 8; i++) {
            sb.append("    movsd %xmm").append(i).append(", ").append(48 + 8 * i).append("(%rsp)\n");
        }
        for (int i = 0; i < STACK_SLOTS; i++) {
            sb.append("    mov ").append(frame + 8 + 8 * i).append("(%rsp), %r10\n    mov %r10, ")
                    .append(112 + 8 * i).append("(%rsp)\n");
        }
        sb.append("    mov %eax, %edi\n    mov %rsp, %rsi\n    call fake_record@PLT\n    add $").append(frame)
                .append(", %rsp\n    ret\n    .section .rodata\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append("fake_name_").append(i).append(": .asciz \"").append(names.get(i)).append("\"\n");
        }
        sb.append("    .section .data.rel.ro\n    .balign 8\n    .globl fake_names\n    .hidden fake_names\nfake_names:\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append("    .quad fake_name_").append(i).append('\n');
        }
        return sb.append("    .section .note.GNU-stack,\"\",@progbits\n").toString();
    }

    record Child(int exitCode, String output) {
    }

    /** Runs {@code main} in a child JVM on this class path with the fakes (and the shim) first on the library path. */
    static Child run(Path dir, Class<?> main, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcnn4j.cuda.nativeDir=" + dir.resolve("natives"),
                main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", dir.resolve("shim") + ":" + dir);
        pb.environment().put("CUBLAS_SHIM_TARGET", dir.resolve("libcublas.so.13").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Child(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    private static final String CUDA_C = """
            #include <stddef.h>
            #include <string.h>
            int cuInit(unsigned flags) { return 0; }
            int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
            int cuDeviceGetCount(int *n) { *n = 1; return 0; }
            int cuDeviceGet(int *device, int ordinal) { *device = ordinal; return 0; }
            int cuDeviceGetName(char *name, int len, int device) { strncpy(name, "cnn4j fake GPU", len); return 0; }
            /* 75, 76: CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, _MINOR */
            int cuDeviceGetAttribute(int *v, int attr, int device) { *v = attr == 75 ? 9 : attr == 76 ? 0 : 1; return 0; }
            int cuDeviceTotalMem_v2(size_t *bytes, int device) { *bytes = (size_t) 80 << 30; return 0; }
            int cuGetErrorName(int e, const char **s) { *s = "CUDA_ERROR_FAKE"; return 0; }
            int cuGetErrorString(int e, const char **s) { *s = "fake driver error"; return 0; }
            """;

    private static final String CUBLAS_C = """
            int cublasGetProperty(int type, int *value) { static const int v[] = {13, 0, 2}; *value = v[type]; return 0; }
            """;

    /** The cuDNN recorder: logs each call's argument registers and stack slots, fills in outputs where needed. */
    private static final String CUDNN_C = """
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            typedef struct { uint64_t gp[6]; uint64_t xmm[8]; uint64_t stack[STACK_SLOTS]; } regs;
            extern const char *const fake_names[];
            static uint64_t next_handle = 0x7e5800000000ULL;
            static uint64_t arg(regs *r, int i) { return i < 6 ? r->gp[i] : r->stack[i - 6]; }
            static int ends(const char *s, const char *suffix) {
                size_t a = strlen(s), b = strlen(suffix);
                return a >= b && strcmp(s + a - b, suffix) == 0;
            }
            /* one result in a cudnnConvolution*AlgoPerf_t: algo 7, status 0, time 0.25, memory 4096, determinism 1,
               mathType 2 (fields at offsets 0, 4, 8, 16, 24, 28) */
            static void perf(regs *r, int countArg, int perfArg) {
                *(int *) arg(r, countArg) = 1;
                unsigned char *p = (unsigned char *) arg(r, perfArg);
                float time = 0.25f;
                uint64_t memory = 4096;
                int algo = 7, status = 0, determinism = 1, mathType = 2;
                memcpy(p, &algo, 4); memcpy(p + 4, &status, 4); memcpy(p + 8, &time, 4);
                memcpy(p + 16, &memory, 8); memcpy(p + 24, &determinism, 4); memcpy(p + 28, &mathType, 4);
            }
            uint64_t fake_record(int index, regs *r) {
                const char *name = fake_names[index];
                const char *path = getenv("FAKE_CUDNN_LOG");
                FILE *log = path ? fopen(path, "a") : NULL;
                if (log) {
                    fprintf(log, "%s", name);
                    for (int i = 0; i < 6; i++) fprintf(log, " %llx", (unsigned long long) r->gp[i]);
                    for (int i = 0; i < 8; i++) fprintf(log, " %llx", (unsigned long long) r->xmm[i]);
                    for (int i = 0; i < STACK_SLOTS; i++) fprintf(log, " %llx", (unsigned long long) r->stack[i]);
                    fprintf(log, "\\n");
                    fclose(log);
                }
                if (strcmp(name, "cudnnGetVersion") == 0) return 90501;
                if (strcmp(name, "cudnnGetCudartVersion") == 0) return 12040;
                if (strcmp(name, "cudnnGetErrorString") == 0) return (uint64_t) "fake cudnn error";
                if (strncmp(name, "cudnnCreate", 11) == 0) { *(uint64_t *) r->gp[0] = next_handle += 0x10; return 0; }
                if (ends(name, "WorkspaceSize")) { *(uint64_t *) arg(r, 6) = 12345; return 0; }
                if (ends(name, "AlgorithmEx")) { perf(r, 9, 10); return 0; }
                if (ends(name, "Algorithm") || ends(name, "Algorithm_v7")) { perf(r, 6, 7); return 0; }
                return 0;
            }
            """;
}
