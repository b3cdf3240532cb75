package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.check;
import static org.cnn4j.cuda.CudaErrors.checkCublas;
import static org.cnn4j.cuda.CudaErrors.checkCudnn;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;
import jcuda.runtime.cudaStream_t;

/**
 * One device's primary context (shared with cuBLAS and cuDNN, which use the runtime API and therefore the
 * primary context), one stream that every kernel, cuBLAS and cuDNN call is queued on, and the library handles.
 * A constructor step that fails releases what the earlier steps made, newest first.
 */
final class CudaContext implements DeviceMemory<CUdeviceptr>, AutoCloseable {
    final CUdevice device = new CUdevice();
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    final cublasHandle cublas = new cublasHandle();
    final cudnnHandle cudnn = new cudnnHandle();
    final String deviceName;
    private final long totalBytes;
    private final ReleaseStack releases = new ReleaseStack();
    private boolean closed;

    CudaContext(int ordinal) {
        try {
            check(JCudaDriver.cuInit(0), "cuInit");
            check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
            check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            releases.push("the primary context", () -> check(JCudaDriver.cuDevicePrimaryCtxRelease(device),
                    "cuDevicePrimaryCtxRelease"));
            bind();
            byte[] name = new byte[256];
            check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
            deviceName = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
            long[] total = new long[1];
            check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
            totalBytes = total[0];
            check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
            releases.push("the stream", () -> check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy"));
            cudaStream_t runtimeStream = new cudaStream_t(stream);
            checkCublas(JCublas2.cublasCreate(cublas), "cublasCreate");
            releases.push("the cuBLAS handle", () -> checkCublas(JCublas2.cublasDestroy(cublas), "cublasDestroy"));
            checkCublas(JCublas2.cublasSetStream(cublas, runtimeStream), "cublasSetStream");
            // FP32 GEMM without TF32 (cuBLAS default math; NVIDIA_TF32_OVERRIDE can still force it globally)
            checkCublas(JCublas2.cublasSetMathMode(cublas, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
            checkCudnn(JCudnn.cudnnCreate(cudnn), "cudnnCreate");
            releases.push("the cuDNN handle", () -> checkCudnn(JCudnn.cudnnDestroy(cudnn), "cudnnDestroy"));
            checkCudnn(JCudnn.cudnnSetStream(cudnn, runtimeStream), "cudnnSetStream");
        } catch (RuntimeException | Error e) {
            releases.releaseAfter(e);
            throw e;
        }
    }

    /** Makes the primary context current on the calling thread (cheap; needed on every entry point). */
    void bind() {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    public void synchronize() {
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public CUdeviceptr malloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        int r = JCudaDriver.cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            return null;
        }
        check(r, "cuMemAlloc(" + bytes + " bytes)");
        return p;
    }

    @Override
    public void free(CUdeviceptr pointer) {
        check(JCudaDriver.cuMemFree(pointer), "cuMemFree");
    }

    /** Bytes the driver reports free on the device; -1 if it cannot say. Binds the context first. */
    @Override
    public long freeBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        bind();
        return JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? free[0] : -1;
    }

    /** The device's memory, read once at construction (needs no current context). */
    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releases.closeAfter(() -> {
            bind();
            synchronize();
        });
    }
}
