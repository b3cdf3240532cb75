import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The GPU bundle's verdicts that need arithmetic (run.sh needs only bash and coreutils, so this runs on the bundle's
 * own Java runtime, with cnn.jar on the class path for Jackson). Prints a markdown table; exit 0 pass, 1 fail,
 * 2 bad input.
 *
 *   BundleCheck losses CPU_STEPS_CSV GPU_STEPS_CSV [N]   first N (default 20) training losses, CPU vs CUDA
 *   BundleCheck memory BENCH_JSON_LOG                    cnn bench --memory-steps output: nothing may grow
 */
public final class BundleCheck {
    /*
     * The loss bound. Both runs are fp32 with TF32 off (-Dcnn4j.cuda.tf32=false), the same seed, data order, initial
     * weights and dropout masks (counter-based RNG on both backends), so they differ only by rounding: cuDNN and
     * cuBLAS sum in other orders, and with other algorithms (Winograd, FFT, split reductions), than the CPU's loops.
     *
     * Step 1 (identical weights): a dot product of K fp32 terms summed in another order moves by at most about
     * K*u relative to the sum of |terms| (u = 2^-24 = 6.0e-8). The default model's longest dot product is fc1's
     * K = 3,136 (conv2: 288), so K*u = 1.9e-4; five layers of that is 1e-3, which is STEP1 (relative). This is a
     * worst case: random-sign rounding gives about sqrt(K)*u = 3.4e-6 per layer. A wrong kernel (bad padding, a
     * swapped stride, a wrong reduction) moves the first loss by 1e-2 or more.
     *
     * Later steps: training amplifies any difference. Measured on the CPU backend with the SIMD against the scalar
     * kernels (another summation order, same arithmetic), the first 20 losses agree to the printed digits for 6
     * steps, then the difference grows from 4e-7 (step 7) to 3.4e-5 (step 20), about x1.5 per step. The bound allows
     * x2 per step, capped at CAP = 10% relative (reached at step 8). The first steps still catch a wrong backward
     * kernel: with a correct gradient the loss falls from 2.37 to 1.72 in 7 steps, so a gradient that points
     * elsewhere leaves the curve by several percent while the bound is STEP1 * 2^(t-1) (0.8% at step 4).
     */
    static final double STEP1 = 1e-3;
    static final double GROWTH = 2.0;
    static final double CAP = 0.10;

    /*
     * Device-used bytes cover the whole device (every process, and cuBLAS/cuDNN's own allocations), so they get a
     * slack; the allocator's own counters (live, reserved = in use + cached + workspace) must not grow at all. 64 MiB over
     * 200 steps is a leak of 320 KiB per step outside the allocator (a cuDNN workspace or a handle made per step).
     */
    static final long DRIVER_SLACK = 64L << 20;

    private BundleCheck() {
    }

    public static void main(String[] args) {
        try {
            if (args.length >= 3 && args[0].equals("losses")) {
                System.exit(losses(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 20));
            } else if (args.length == 2 && args[0].equals("memory")) {
                System.exit(memory(Path.of(args[1])));
            }
            System.err.println("usage: BundleCheck losses CPU_CSV GPU_CSV [N] | memory BENCH_JSON_LOG");
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("BundleCheck: no such file: " + e.getFile());
        } catch (IOException | RuntimeException e) {
            System.err.println("BundleCheck: " + e);
        }
        System.exit(2);
    }

    static double bound(int step) {
        return Math.min(CAP, STEP1 * Math.pow(GROWTH, step - 1));
    }

    static int losses(Path cpuCsv, Path gpuCsv, int n) throws IOException {
        List<Double> cpu = readLosses(cpuCsv, n);
        List<Double> gpu = readLosses(gpuCsv, n);
        System.out.println("| step | loss (cpu) | loss (cuda) | relative difference | bound | |");
        System.out.println("|---:|---:|---:|---:|---:|---|");
        int failures = 0;
        for (int i = 0; i < n; i++) {
            double a = cpu.get(i);
            double b = gpu.get(i);
            double rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
            boolean ok = Double.isFinite(a) && Double.isFinite(b) && (a == b || rel <= bound(i + 1));
            failures += ok ? 0 : 1;
            System.out.printf(Locale.ROOT, "| %d | %.8g | %.8g | %.2e | %.1e | %s |%n", i + 1, a, b, a == b ? 0.0 : rel,
                    bound(i + 1), ok ? "ok" : "**OUT OF BOUND**");
        }
        System.out.println();
        System.out.println(failures == 0 ? "losses agree within the fp32 bound on all " + n + " steps"
                : failures + " of " + n + " losses differ beyond the fp32 bound (STEP1 " + STEP1 + " x" + GROWTH
                + " per step, cap " + CAP + ")");
        return failures == 0 ? 0 : 1;
    }

    /** The loss column of a steps.csv (epoch,step,loss), first n rows. */
    static List<Double> readLosses(Path csv, int n) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<Double> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length >= 3 && out.size() < n) {
                out.add(Double.parseDouble(f[2].trim()));
            }
        }
        if (out.size() < n) {
            throw new IllegalArgumentException(csv + " has " + out.size() + " training steps, expected at least " + n);
        }
        return out;
    }

    static int memory(Path log) throws IOException {
        JsonNode r = null;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                r = new ObjectMapper().readTree(line);
            }
        }
        if (r == null) {
            throw new IllegalArgumentException("no JSON result line in " + log);
        }
        System.out.println("| after " + r.path("memory_steps").asInt() + " steps | before | after | rule | |");
        System.out.println("|---|---:|---:|---|---|");
        int failures = 0;
        failures += row(r, "live_bytes", 0, "must not grow");
        if (r.has("reserved_bytes_before")) {
            failures += row(r, "cached_bytes", -1, "reported");
            failures += row(r, "workspace_bytes", -1, "reported (part of reserved)");
            failures += row(r, "reserved_bytes", 0, "must not grow: no cuMemAlloc after warm-up");
            failures += row(r, "device_used_bytes", DRIVER_SLACK, "grows by at most 64 MiB (whole device)");
        } else {
            System.out.println("| (no CUDA memory fields: not the CUDA backend) | | | | |");
        }
        System.out.println();
        System.out.println(failures == 0 ? "memory does not grow" : failures + " memory figure(s) grew");
        return failures == 0 ? 0 : 1;
    }

    /** One table row; {@code slack} < 0 means report only. Returns 1 when the value grew beyond the slack. */
    private static int row(JsonNode r, String key, long slack, String rule) {
        long before = r.path(key + "_before").asLong();
        long after = r.path(key + "_after").asLong();
        boolean ok = slack < 0 || after - before <= slack;
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %s | %s |%n", key, before, after, rule,
                ok ? "ok" : "**GREW**");
        return ok ? 0 : 1;
    }
}
