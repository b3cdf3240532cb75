package org.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn bench}: times ops and whole models on a backend; medians of several runs after warm-up. With
 * {@code --json}, one JSON object per case on standard output.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark ops (conv, conv-backward, gemm, pool, batchnorm) or a model (train step, inference).")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--op", description = "conv, conv-backward, gemm, pool, batchnorm")
    String op;

    @Option(names = "--model", description = "a model from 'cnn models' (benchmarks a whole step)")
    String model;

    @Option(names = "--mode", defaultValue = "infer", description = "train or infer (with --model; default infer)")
    String mode;

    @Option(names = "--batch-size", defaultValue = "8", description = "batch size for --model (default 8)")
    int batchSize;

    @Option(names = "--size", defaultValue = "0", description = "input height and width for --model (default: the model's, e.g. 224)")
    int size;

    @Option(names = "--input", description = "N,C,H,W for ops")
    String input;

    @Option(names = "--out-channels", description = "K for conv")
    Integer outChannels;

    @Option(names = "--kernel", defaultValue = "3", description = "kernel side R=S for conv and pool (default: ${DEFAULT-VALUE})")
    int kernel;

    @Option(names = "--stride", defaultValue = "1", description = "stride for conv and pool (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--padding", defaultValue = "1", description = "zero padding for conv and pool (default: ${DEFAULT-VALUE})")
    int padding;

    @Option(names = "--gemm", description = "M,N,K for gemm (default 2048,2048,2048)", defaultValue = "2048,2048,2048")
    String gemmDims;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs; the median is reported (default 5)")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (default 2; warm-up also lasts at least 2 s so the JIT has compiled the kernels)")
    int warmup;

    @Option(names = "--memory-steps", defaultValue = "0",
            description = "with --mode train: run N more steps and report live bytes before and after (on CUDA also cached, reserved, workspace and device-used bytes)")
    int memorySteps;

    @Option(names = "--profile", description = "with --model: time every backend call of --runs steps and print the"
            + " time per op type, per op and per layer (on CUDA each call is synchronised, so the step is slower)")
    boolean profile;

    @Option(names = "--profile-rows", defaultValue = "25", description = "rows in the op and layer tables of"
            + " --profile (default: ${DEFAULT-VALUE})")
    int profileRows;

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "one JSON object per case on standard output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Backend backend = common.resolve();
        StepProfiler profiler = profile ? new StepProfiler(backend, !backend.name().equals("cpu")) : null;
        Backend used = profile ? profiler.backend() : backend;
        List<BenchResult> results = new ArrayList<>();
        try (Backends.Use use = Backends.use(used)) {
            if (model != null) {
                results.add(ModelBench.run(model, mode.toLowerCase(Locale.ROOT), batchSize, size, used, warmup,
                        runs, memorySteps, profiler));
            } else {
                results.add(runOp(backend));
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        for (BenchResult r : results) {
            if (json) {
                System.out.println(mapper.writeValueAsString(r.asMap()));
            } else if (profile) {
                System.out.println(r.name() + ": step " + String.format(Locale.ROOT, "%.2f", r.medianMs())
                        + " ms (median of " + r.runs() + ", profiled)");
                System.out.print(profiler.describe(r.medianMs(), profileRows));
            } else {
                System.out.println(r.describe());
            }
        }
        return 0;
    }

    /** Bad or missing options are usage errors (exit 2), found before anything is allocated. */
    private void checkOptions() {
        if ((op == null) == (model == null)) {
            throw OptionChecks.usage(spec, "give exactly one of --op or --model");
        }
        common.check();
        OptionChecks.atLeast(spec, "--runs", runs, 1);
        OptionChecks.atLeast(spec, "--warmup", warmup, 0);
        if (model != null) {
            OptionChecks.model(spec, model);
            OptionChecks.oneOf(spec, "--mode", mode, "train", "infer");
            OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
            OptionChecks.atLeast(spec, "--size", size, 0);
            OptionChecks.atLeast(spec, "--memory-steps", memorySteps, 0);
            OptionChecks.atLeast(spec, "--profile-rows", profileRows, 1);
            if (profile && memorySteps > 0) {
                throw OptionChecks.usage(spec, "--profile and --memory-steps cannot be combined");
            }
            return;
        }
        if (profile) {
            throw OptionChecks.usage(spec, "--profile needs --model (it profiles a model step)");
        }
        OptionChecks.oneOf(spec, "--op", op, "conv", "conv-backward", "gemm", "pool", "batchnorm");
        OptionChecks.atLeast(spec, "--kernel", kernel, 1);
        OptionChecks.atLeast(spec, "--stride", stride, 1);
        OptionChecks.atLeast(spec, "--padding", padding, 0);
        try {
            if (op.equalsIgnoreCase("gemm")) {
                parse(gemmDims, 3, "--gemm M,N,K");
            } else {
                int[] nchw = parse(input, 4, "--input N,C,H,W");
                if (nchw[2] + 2 * padding < kernel || nchw[3] + 2 * padding < kernel) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "--kernel %d is larger than the"
                            + " padded input %dx%d (--input %s, --padding %d)", kernel, nchw[2] + 2 * padding,
                            nchw[3] + 2 * padding, input, padding));
                }
            }
        } catch (IllegalArgumentException e) {
            throw OptionChecks.usage(spec, e.getMessage());
        }
        if (outChannels != null) {
            OptionChecks.atLeast(spec, "--out-channels", outChannels, 1);
        }
    }

    private BenchResult runOp(Backend backend) {
        Random random = new Random(0);
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "conv", "conv-backward" -> {
                int[] nchw = parse(input, 4, "--input N,C,H,W");
                int k = outChannels == null ? nchw[1] : outChannels;
                ConvSpec spec = ConvSpec.of(stride, padding);
                int p = spec.outH(nchw[2], kernel), q = spec.outW(nchw[3], kernel);
                double flops = 2.0 * nchw[0] * k * p * q * nchw[1] * kernel * kernel;
                boolean backward = op.equalsIgnoreCase("conv-backward");
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor x = Tensor.randn(backend, Shape.of(nchw), random);
                    Tensor w = Tensor.randn(backend, Shape.of(k, nchw[1], kernel, kernel), random);
                    Tensor y = Tensor.empty(backend, Shape.of(nchw[0], k, p, q));
                    Tensor dx = Tensor.empty(backend, x.shape());
                    Tensor dw = Tensor.empty(backend, w.shape());
                    String name = String.format(Locale.ROOT, "%s N%d C%d->%d %dx%d k%d s%d p%d", op, nchw[0],
                            nchw[1], k, nchw[2], nchw[3], kernel, stride, padding);
                    Runnable body = backward
                            ? () -> {
                                backend.conv2dBackwardData(y, w, dx, spec);
                                backend.conv2dBackwardFilter(x, y, dw, spec);
                            }
                            : () -> backend.conv2dForward(x, w, y, spec);
                    yield BenchResult.time(name, op, backend, warmup, runs, backward ? 2 * flops : flops, 0, body);
                }
            }
            case "gemm" -> {
                int[] mnk = parse(gemmDims, 3, "--gemm M,N,K");
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor a = Tensor.randn(backend, Shape.of(mnk[0], mnk[2]), random);
                    Tensor b = Tensor.randn(backend, Shape.of(mnk[2], mnk[1]), random);
                    Tensor c = Tensor.empty(backend, Shape.of(mnk[0], mnk[1]));
                    yield BenchResult.time("gemm " + gemmDims, op, backend, warmup, runs,
                            2.0 * mnk[0] * mnk[1] * mnk[2], 0,
                            () -> backend.gemm(false, false, mnk[0], mnk[1], mnk[2], 1f, a, b, 0f, c));
                }
            }
            case "pool" -> {
                int[] nchw = parse(input, 4, "--input N,C,H,W");
                PoolSpec spec = PoolSpec.max(kernel, stride, padding);
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor x = Tensor.randn(backend, Shape.of(nchw), random);
                    Tensor y = Tensor.empty(backend, Shape.of(nchw[0], nchw[1], spec.outH(nchw[2]),
                            spec.outW(nchw[3])));
                    yield BenchResult.time("maxpool " + input + " k" + kernel + " s" + stride, op, backend, warmup,
                            runs, 0, 0, () -> backend.pool2dForward(x, y, spec));
                }
            }
            case "batchnorm" -> {
                int[] nchw = parse(input, 4, "--input N,C,H,W");
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor x = Tensor.randn(backend, Shape.of(nchw), random);
                    Shape c = Shape.of(nchw[1]);
                    Tensor g = Tensor.full(backend, c, 1f), b = Tensor.zeros(backend, c);
                    Tensor rm = Tensor.zeros(backend, c), rv = Tensor.full(backend, c, 1f);
                    Tensor y = Tensor.empty(backend, x.shape());
                    Tensor sm = Tensor.empty(backend, c), si = Tensor.empty(backend, c);
                    yield BenchResult.time("batchnorm-train " + input, op, backend, warmup, runs, 0, 0,
                            () -> backend.batchNormForwardTraining(x, g, b, rm, rv, 0.1f, 1e-5f, y, sm, si));
                }
            }
            default -> throw new IllegalArgumentException("unknown --op '" + op
                    + "'; expected conv, conv-backward, gemm, pool or batchnorm");
        };
    }

    static int[] parse(String text, int count, String what) {
        if (text == null) {
            throw new IllegalArgumentException("missing " + what);
        }
        String[] parts = text.split("[,x]");
        if (parts.length != count) {
            throw new IllegalArgumentException("expected " + what + " (" + count + " numbers), got '" + text + "'");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + what + ", got '" + text + "'");
            }
            if (out[i] < 1) {
                throw new IllegalArgumentException("expected positive numbers for " + what + ", got '" + text + "'");
            }
        }
        return out;
    }
}
