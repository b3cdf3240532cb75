package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** CPU-only checks of the shipped PTX: fresh (matches kernels.cu and ops.h), loadable by CUDA 12, in sync with Kernel. */
class PtxResourceTest {
    private static final String PTX = new String(CudaKernels.readPtx(), StandardCharsets.US_ASCII);

    @Test
    void ptxWasBuiltFromTheCurrentSource() throws IOException {
        byte[] kernels = Files.readAllBytes(Paths.get("src/main/cuda/kernels.cu"));
        byte[] ops = Files.readAllBytes(OpCodesTest.OPS_H);
        byte[] sources = Arrays.copyOf(kernels, kernels.length + ops.length);
        System.arraycopy(ops, 0, sources, kernels.length, ops.length);
        Matcher m = Pattern.compile("// source-sha256: ([0-9a-f]{64})").matcher(PTX);
        assertTrue(m.find(), "kernels.ptx lacks its source-sha256 header; run tools/cuda/build-ptx.sh");
        assertEquals(CudaNatives.sha256Hex(sources), m.group(1),
                "kernels.ptx is stale: kernels.cu or ops.h changed; run tools/cuda/build-ptx.sh and commit the PTX");
    }

    @Test
    void ptxTargetsCuda12Drivers() {
        assertTrue(PTX.contains("\n.version 8.0\n"), "PTX ISA must be lowered to 8.0 for CUDA 12.0+ drivers");
        assertTrue(PTX.contains("\n.target sm_75\n"), "PTX must target compute_75");
    }

    /** Parameter kinds of every {@code .entry}, in the Kernel enum's notation (u64 covers pointers and longs). */
    static Map<String, List<String>> entries(String ptx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher e = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)").matcher(ptx);
        Pattern param = Pattern.compile("\\.param (?:\\.align \\d+ )?\\.(\\w+) \\w+(?:\\[(\\d+)])?");
        while (e.find()) {
            List<String> kinds = new ArrayList<>();
            Matcher p = param.matcher(e.group(2));
            while (p.find()) {
                kinds.add(switch (p.group(1)) {
                    case "u64" -> "u64";
                    case "u32" -> "i";
                    case "f32" -> "f";
                    case "b8" -> "s" + p.group(2);
                    default -> "?" + p.group(1);
                });
            }
            out.put(e.group(1), kinds);
        }
        return out;
    }

    @Test
    void kernelSignaturesMatchThePtx() {
        Map<String, List<String>> entries = entries(PTX);
        assertEquals(Kernel.values().length, entries.size(), "kernels in PTX " + entries.keySet());
        for (Kernel k : Kernel.values()) {
            List<String> expected = Arrays.stream(k.params).map(t -> t.equals("p") || t.equals("l") ? "u64" : t)
                    .toList();
            assertEquals(expected, entries.get(k.entry), "parameters of kernel " + k.entry);
        }
    }

    @Test
    void geometryStructsHaveTheSizesTheKernelsExpect() {
        assertEquals(100, Geometry.INTS * 4);
        assertEquals(52, CudnnPool.geometry(new int[4], new int[4],
                org.cnn4j.backend.PoolSpec.max(2, 2, 0)).length * 4);
    }

    @Test
    void assemblesWithJCudaNvPtxCompiler() throws IOException {
        CudaNatives.loadWith(() -> JNvPTXCompiler.setExceptionsEnabled(false), "JNvPTXCompiler");
        int[] major = new int[1];
        int[] minor = new int[1];
        JNvPTXCompiler.nvPTXCompilerGetVersion(major, minor);
        for (String arch : new String[] {"sm_75", "sm_80", "sm_86", "sm_89", "sm_90"}) {
            nvPTXCompilerHandle h = new nvPTXCompilerHandle();
            byte[] ptx = CudaKernels.readPtx();
            assertEquals(0, JNvPTXCompiler.nvPTXCompilerCreate(h, ptx.length, ptx), "nvPTXCompilerCreate");
            try {
                int r = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[] {"--gpu-name=" + arch});
                assertEquals(0, r, "nvPTXCompiler " + major[0] + "." + minor[0] + " failed for " + arch + ": "
                        + errorLog(h));
            } finally {
                JNvPTXCompiler.nvPTXCompilerDestroy(h);
            }
        }
        System.out.println("PTX check: kernels.ptx assembles with JCuda's nvPTXCompiler " + major[0] + "." + minor[0]
                + " for sm_75..sm_90");
    }

    private static String errorLog(nvPTXCompilerHandle h) {
        long[] size = new long[1];
        JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
        byte[] log = new byte[(int) size[0] + 1];
        JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
        return new String(log, StandardCharsets.US_ASCII).trim();
    }

    @Test
    void assemblesWithPtxasWhenInstalled() throws Exception {
        Path ptxas = findPtxas();
        Assumptions.assumeTrue(ptxas != null, "ptxas not installed (CUDA toolkit absent); JNvPTXCompiler test covers");
        Path tmp = Files.createTempFile("cnn4j-kernels", ".ptx");
        try {
            Files.write(tmp, CudaKernels.readPtx());
            Process p = new ProcessBuilder(ptxas.toString(), "-arch=sm_75", "-o", "/dev/null", tmp.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ptxas timed out");
            assertEquals(0, p.exitValue(), "ptxas rejected kernels.ptx: " + out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path findPtxas() {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) {
            dirs.add(cudaHome + "/bin");
        }
        dirs.add("/usr/local/cuda/bin");
        for (String d : dirs) {
            Path p = Paths.get(d, "ptxas");
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
