package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.check;
import static org.cnn4j.cuda.CudaErrors.driverError;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The PTX module of custom kernels (loaded with cuModuleLoadData) and the launch helpers. With
 * {@code -Dcnn4j.cuda.syncDebug=true} every launch synchronises the stream before and after, so an
 * asynchronous failure names the kernel that caused it and its launch geometry.
 */
final class CudaKernels implements AutoCloseable {
    static final String PTX_RESOURCE = "/org/cnn4j/cuda/kernels.ptx";
    static final String SYNC_DEBUG_PROPERTY = "cnn4j.cuda.syncDebug";
    static final int BLOCK = 256;

    private final CudaContext ctx;
    private final boolean syncDebug = Boolean.getBoolean(SYNC_DEBUG_PROPERTY);
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    CudaKernels(CudaContext ctx) {
        this.ctx = ctx;
        byte[] ptx = readPtx();
        byte[] terminated = Arrays.copyOf(ptx, ptx.length + 1);  // the driver expects a NUL-terminated image
        check(JCudaDriver.cuModuleLoadData(module, terminated), "cuModuleLoadData(kernels.ptx)");
        try {
            for (Kernel k : Kernel.values()) {
                CUfunction f = new CUfunction();
                check(JCudaDriver.cuModuleGetFunction(f, module, k.entry), "cuModuleGetFunction(" + k.entry + ")");
                functions.put(k, f);
            }
        } catch (RuntimeException e) {
            JCudaDriver.cuModuleUnload(module);  // a PTX without one of our kernels must not leak the module
            throw e;
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
        if (syncDebug) {
            syncOrThrow("work queued before " + kernel.describe(blocks, threads, args) + " failed");
        }
        int launched = JCudaDriver.cuLaunchKernel(functions.get(kernel), (int) blocks, 1, 1, threads, 1, 1, 0,
                ctx.stream, params, null);
        if (launched != CUresult.CUDA_SUCCESS) {
            throw new CudaOperationException("cuLaunchKernel " + kernel.describe(blocks, threads, args) + " failed: "
                    + driverError(launched));
        }
        if (syncDebug) {
            syncOrThrow("kernel " + kernel.describe(blocks, threads, args) + " failed (" + SYNC_DEBUG_PROPERTY + ")");
        }
    }

    private void syncOrThrow(String what) {
        int r = JCudaDriver.cuStreamSynchronize(ctx.stream);
        if (r != CUresult.CUDA_SUCCESS) {
            throw new CudaOperationException(what + ": " + driverError(r));
        }
    }

    /** Packs arguments as the driver's kernelParams array, checking them against the kernel's signature. */
    static Pointer pack(Kernel kernel, Object... args) {
        kernel.checkArguments(CUdeviceptr.class, args);
        NativePointerObject[] ptrs = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            ptrs[i] = switch (kernel.params[i]) {
                case "p" -> Pointer.to(a == null ? new CUdeviceptr() : (CUdeviceptr) a);
                case "i" -> Pointer.to(new int[] {(Integer) a});
                case "l" -> Pointer.to(new long[] {(Long) a});
                case "f" -> Pointer.to(new float[] {(Float) a});
                default -> Pointer.to((int[]) a);
            };
        }
        return Pointer.to(ptrs);
    }

    /** Sums {@code src} to the broadcast shape {@code dstDims} (see {@link ReducePlan}). */
    void reduceSumTo(CUdeviceptr src, int[] srcDims, CUdeviceptr dst, int[] dstDims,
                     CachingAllocator<CUdeviceptr> allocator) {
        Map<CUdeviceptr, CachingAllocator.Block<CUdeviceptr>> blocks = new IdentityHashMap<>();
        ReducePlan.run(new ReducePlan.Device<CUdeviceptr>() {
            @Override
            public CUdeviceptr scratch(long floats) {
                CachingAllocator.Block<CUdeviceptr> b = allocator.allocate(4L * floats);
                blocks.put(b.pointer, b);
                return b.pointer;
            }

            @Override
            public void release(CUdeviceptr scratch) {
                allocator.release(blocks.remove(scratch));
            }

            @Override
            public void launchGrid(Kernel kernel, long blockCount, int threads, Object... args) {
                CudaKernels.this.launchGrid(kernel, blockCount, threads, args);
            }
        }, src, srcDims, dst, dstDims);
    }

    @Override
    public void close() {
        JCudaDriver.cuModuleUnload(module);
    }
}
