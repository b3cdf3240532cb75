package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.check;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/** The PTX module of custom kernels (loaded with cuModuleLoadData) and the launch helpers. */
final class CudaKernels implements AutoCloseable {
    static final String PTX_RESOURCE = "/org/cnn4j/cuda/kernels.ptx";
    static final int BLOCK = 256;

    private final CudaContext ctx;
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    CudaKernels(CudaContext ctx) {
        this.ctx = ctx;
        byte[] ptx = readPtx();
        byte[] terminated = Arrays.copyOf(ptx, ptx.length + 1);  // the driver expects a NUL-terminated image
        check(JCudaDriver.cuModuleLoadData(module, terminated), "cuModuleLoadData(kernels.ptx)");
        for (Kernel k : Kernel.values()) {
            CUfunction f = new CUfunction();
            check(JCudaDriver.cuModuleGetFunction(f, module, k.entry), "cuModuleGetFunction(" + k.entry + ")");
            functions.put(k, f);
        }
    }

    static byte[] readPtx() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PTX_RESOURCE + " missing from the cuda-backend jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PTX_RESOURCE, e);
        }
    }

    /** Launches {@code kernel} with one thread per element of {@code n} (blocks of 256). */
    void launch(Kernel kernel, long n, Object... args) {
        if (n <= 0) {
            return;
        }
        launchGrid(kernel, (n + BLOCK - 1) / BLOCK, BLOCK, args);
    }

    void launchGrid(Kernel kernel, long blocks, int threads, Object... args) {
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel.entry + ": " + blocks + " blocks exceed the grid limit");
        }
        Pointer params = pack(kernel, args);
        check(JCudaDriver.cuLaunchKernel(functions.get(kernel), (int) blocks, 1, 1, threads, 1, 1, 0, ctx.stream,
                params, null), "cuLaunchKernel(" + kernel.entry + ")");
    }

    /** Packs arguments as the driver's kernelParams array, checking them against the kernel's signature. */
    static Pointer pack(Kernel kernel, Object... args) {
        if (args.length != kernel.params.length) {
            throw new IllegalArgumentException(kernel.entry + ": expected " + kernel.params.length
                    + " arguments " + Arrays.toString(kernel.params) + ", got " + args.length);
        }
        NativePointerObject[] ptrs = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            String kind = kernel.params[i];
            Object a = args[i];
            ptrs[i] = switch (kind) {
                case "p" -> Pointer.to(a == null ? new CUdeviceptr() : (CUdeviceptr) expect(kernel, i, a,
                        CUdeviceptr.class));
                case "i" -> Pointer.to(new int[] {(Integer) expect(kernel, i, a, Integer.class)});
                case "l" -> Pointer.to(new long[] {(Long) expect(kernel, i, a, Long.class)});
                case "f" -> Pointer.to(new float[] {(Float) expect(kernel, i, a, Float.class)});
                default -> {
                    int[] struct = (int[]) expect(kernel, i, a, int[].class);
                    int bytes = Integer.parseInt(kind.substring(1));
                    if (struct.length * 4 != bytes) {
                        throw new IllegalArgumentException(kernel.entry + ": argument " + i + " must be a struct of "
                                + bytes + " bytes, got " + struct.length + " ints");
                    }
                    yield Pointer.to(struct);
                }
            };
        }
        return Pointer.to(ptrs);
    }

    private static Object expect(Kernel k, int index, Object a, Class<?> type) {
        if (!type.isInstance(a)) {
            throw new IllegalArgumentException(k.entry + ": argument " + index + " must be " + type.getSimpleName()
                    + ", got " + (a == null ? "null" : a.getClass().getSimpleName()));
        }
        return a;
    }

    @Override
    public void close() {
        JCudaDriver.cuModuleUnload(module);
    }
}
