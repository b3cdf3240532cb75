package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Runs one operation on the CPU backend (the reference) and as launches of kernels.cu on the host emulation,
 * with the same data in every tensor (inputs and outputs alike, so an element a kernel forgets to write
 * shows), and compares every tensor afterwards, element by element. Checks are batched: {@link #check}
 * queues, {@link #verify} runs the batch and compares.
 */
final class EmulatedParity {
    /** The operation against the CPU backend; {@code t} holds one tensor per shape. */
    interface CpuOp {
        void run(Backend cpu, Tensor[] t);
    }

    /** The same operation as kernel launches, written the way CudaBackend launches it. */
    interface EmuOp {
        void run(KernelEmulator.Job job, KernelEmulator.Buffer[] b);
    }

    /** The allowed |emulated - cpu| for element {@code index} of tensor {@code tensor}; 0 means the same bits. */
    interface Tolerance {
        double of(int tensor, int index, float cpu);
    }

    static final Tolerance EXACT = (t, i, cpu) -> 0;
    /** 2^-24: the unit roundoff of float32. */
    static final double U = 0x1p-24;

    /** Within {@code n} units in the last place of the CPU value (for host libm versus java.lang.Math). */
    static Tolerance ulps(int n) {
        return (t, i, cpu) -> n * Math.ulp(cpu);
    }

    private final Backend cpu = new CpuBackend();
    final Random random = new Random(11);

    Backend cpu() {
        return cpu;
    }

    float[] randn(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }

    static int numel(int[] dims) {
        return Math.toIntExact(Shape.of(dims).numel());
    }

    private record Pending(String name, KernelEmulator.Buffer[] buffers, float[][] want, Tolerance tolerance) {
    }

    private KernelEmulator.Job job;
    private final List<Pending> pending = new ArrayList<>();

    /**
     * Runs {@code cpuOp} now and queues {@code emuOp} on the current job ({@link #verify} runs it): one process
     * per batch of checks, not per check.
     */
    void check(String name, int[][] shapes, float[][] data, CpuOp cpuOp, EmuOp emuOp, Tolerance tolerance) {
        float[][] want = new float[shapes.length][];
        try (MemoryScope s = MemoryScope.open()) {
            Tensor[] t = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                t[i] = Tensor.of(cpu, data[i], Shape.of(shapes[i]));
            }
            cpuOp.run(cpu, t);
            for (int i = 0; i < shapes.length; i++) {
                want[i] = t[i].toFloatArray();
            }
        }
        if (job == null) {
            job = KernelEmulator.get().job();
        }
        KernelEmulator.Buffer[] b = new KernelEmulator.Buffer[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            b[i] = job.buffer(data[i], name + " tensor " + i);
        }
        emuOp.run(job, b);
        pending.add(new Pending(name, b, want, tolerance));
    }

    /** Runs the queued launches and compares every tensor of every queued check with the CPU's. */
    void verify() {
        if (job == null) {
            return;
        }
        float[][] got = job.run();
        job = null;
        for (Pending p : pending) {
            for (int i = 0; i < p.buffers.length; i++) {
                compare(p.name + ": tensor " + i, p.want[i], got[p.buffers[i].id()], i, p.tolerance);
            }
        }
        pending.clear();
    }

    private static void compare(String what, float[] want, float[] got, int tensor, Tolerance tolerance) {
        for (int j = 0; j < want.length; j++) {
            float w = want[j];
            float g = got[j];
            double tol = tolerance.of(tensor, j, w);
            boolean same = Float.isNaN(w) ? Float.isNaN(g)
                    : tol == 0 || Float.isInfinite(w) ? Float.floatToIntBits(g) == Float.floatToIntBits(w)
                    : Math.abs((double) g - w) <= tol;
            if (!same) {
                fail(what + " element " + j + ": emulated kernel " + g + " vs cpu " + w
                        + (tol == 0 ? " (must be identical)" : " (tolerance " + tol + ")"));
            }
        }
    }
}
