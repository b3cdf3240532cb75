package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

/**
 * kernels.cu compiled for the host by g++ with {@code src/test/cuda}'s prelude and driver (see emu_driver.cpp),
 * built once per JVM into a temporary directory. A {@link Job} collects buffers and launches; running it
 * executes the kernels twice, blocks and threads in forward and in reverse order, and returns the buffers
 * after the forward run once both runs agree bit for bit.
 */
final class KernelEmulator {
    private static final Path SOURCES = Paths.get("src/test/cuda");
    private static final Path KERNELS = Paths.get("src/main/cuda");
    private static KernelEmulator shared;
    private static String unavailable;
    private static AssertionError compileFailure;

    private final Path dir;
    private final Path binary;
    private int jobs;

    private KernelEmulator(Path dir) {
        this.dir = dir;
        this.binary = dir.resolve("emu_driver");
    }

    /** The compiled emulator; the calling test is skipped (one line) where g++ is missing. */
    static synchronized KernelEmulator get() {
        if (shared == null && unavailable == null && compileFailure == null) {
            String gxx = findOnPath("g++");
            if (gxx == null) {
                unavailable = "g++ not found on PATH: host emulation of the CUDA kernels skipped";
            } else {
                try {
                    shared = compile(gxx);
                } catch (AssertionError e) {
                    compileFailure = e;
                }
            }
        }
        if (compileFailure != null) {
            throw compileFailure;
        }
        Assumptions.assumeTrue(shared != null, unavailable);
        return shared;
    }

    private static KernelEmulator compile(String gxx) {
        try {
            Path dir = Files.createTempDirectory("cnn4j-kernel-emu");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            KernelEmulator emu = new KernelEmulator(dir);
            List<String> command = new ArrayList<>(List.of(gxx, "-std=c++17", "-O1", "-ffp-contract=off", "-I",
                    KERNELS.toString(), "-I", SOURCES.toString(), SOURCES.resolve("emu_driver.cpp").toString(), "-o",
                    emu.binary.toString()));
            List<String> sanitized = new ArrayList<>(command);
            // UBSan turns signed overflow and invalid shifts in the kernels' index arithmetic into failures
            sanitized.addAll(List.of("-fsanitize=undefined", "-fno-sanitize-recover=all"));
            try {
                run(sanitized, 300);
            } catch (AssertionError e) {
                run(command, 300);  // a compile error fails here too; otherwise only the UBSan runtime is missing
                System.out.println("Kernel emulation: built without UBSan (" + gxx + " could not link it)");
            }
            return emu;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernels the driver can launch. */
    List<String> kernelNames() {
        return Arrays.asList(run(List.of(binary.toString(), "--list"), 30).trim().split("\n"));
    }

    Job job() {
        return new Job();
    }

    /** A device buffer of the emulation: the id of a {@code buffer} line of the job. */
    record Buffer(int id, int length) {
    }

    /** Buffers and launches to run; implements ReducePlan.Device so the real reduction plan runs on it. */
    final class Job implements ReducePlan.Device<Buffer> {
        private final List<float[]> initial = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private final StringBuilder launches = new StringBuilder();

        /** A buffer holding a copy of {@code data}; {@code label} names it in failure messages. */
        Buffer buffer(float[] data, String label) {
            initial.add(data.clone());
            labels.add(label);
            return new Buffer(initial.size() - 1, data.length);
        }

        /** Scratch memory starts as NaN, so a partial sum that is read before it is written shows. */
        @Override
        public Buffer scratch(long floats) {
            float[] nan = new float[Math.toIntExact(floats)];
            Arrays.fill(nan, Float.NaN);
            return buffer(nan, "scratch");
        }

        @Override
        public void release(Buffer scratch) {
        }

        /** As CudaKernels.launch: one thread per element, blocks of {@link CudaKernels#BLOCK}. */
        void launch(Kernel kernel, long n, Object... args) {
            if (n > 0) {
                launchGrid(kernel, (n + CudaKernels.BLOCK - 1) / CudaKernels.BLOCK, CudaKernels.BLOCK, args);
            }
        }

        @Override
        public void launchGrid(Kernel kernel, long blocks, int threads, Object... args) {
            kernel.checkArguments(Buffer.class, args);
            launches.append("launch ").append(kernel.entry).append(' ').append(blocks).append(' ').append(threads);
            for (int i = 0; i < args.length; i++) {
                launches.append(' ').append(token(kernel.params[i], args[i]));
            }
            launches.append('\n');
        }

        private String token(String kind, Object a) {
            return switch (kind) {
                case "p" -> a == null ? "p-" : "p" + ((Buffer) a).id();
                case "f" -> "f" + Integer.toHexString(Float.floatToRawIntBits((Float) a));
                case "i", "l" -> kind + a;
                default -> kind + ":" + Arrays.stream((int[]) a).mapToObj(Integer::toHexString)
                        .collect(Collectors.joining(","));
            };
        }

        /** Runs the job in both schedules; returns every buffer's final contents, indexed by buffer id. */
        float[][] run() {
            try {
                Path jobDir = Files.createDirectory(dir.resolve("job" + jobs++));
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < initial.size(); i++) {
                    Path file = jobDir.resolve("in" + i + ".bin");
                    Files.write(file, toBytes(initial.get(i)));
                    text.append("buffer ").append(i).append(' ').append(initial.get(i).length).append(' ')
                            .append(file).append('\n');
                }
                Path jobFile = jobDir.resolve("job.txt");
                Files.writeString(jobFile, text.append(launches), StandardCharsets.US_ASCII);
                float[][] forward = runOnce(jobFile, jobDir, "forward");
                float[][] reverse = runOnce(jobFile, jobDir, "reverse");
                for (int i = 0; i < forward.length; i++) {
                    assertArrayEquals(bits(forward[i]), bits(reverse[i]), "buffer " + i + " (" + labels.get(i)
                            + ") depends on the order blocks and threads run in (a race or a missing barrier)");
                }
                deleteTree(jobDir);
                return forward;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private float[][] runOnce(Path jobFile, Path jobDir, String order) throws IOException {
            Path out = Files.createDirectory(jobDir.resolve(order));
            try {
                KernelEmulator.run(List.of(binary.toString(), jobFile.toString(), out.toString(), order), 120);
            } catch (AssertionError e) {
                // the driver numbers buffers; name them as the test did
                Matcher m = Pattern.compile("buffer (\\d+)").matcher(e.getMessage());
                throw new AssertionError(m.replaceAll(r -> Matcher.quoteReplacement(r.group() + " ("
                        + labels.get(Integer.parseInt(r.group(1))) + ")")));
            }
            float[][] result = new float[initial.size()][];
            for (int i = 0; i < result.length; i++) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out.resolve(i + ".bin")))
                        .order(ByteOrder.LITTLE_ENDIAN);
                result[i] = new float[initial.get(i).length];
                assertEquals(result[i].length * 4, b.remaining(), "size of buffer " + i);
                b.asFloatBuffer().get(result[i]);
            }
            return result;
        }
    }

    private static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    /** Runs a command; a non-zero exit fails with its output (which names the kernel that failed). */
    private static String run(List<String> command, int timeoutSeconds) {
        Path log = null;
        try {
            log = Files.createTempFile("cnn4j-emu", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out after " + timeoutSeconds + " s");
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    private static String findOnPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, name))) {
                return Paths.get(d, name).toString();
            }
        }
        return null;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
