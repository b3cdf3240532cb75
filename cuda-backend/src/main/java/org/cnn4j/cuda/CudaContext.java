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
 * primary context), one stream that every kernel, cuBLAS and cuDNN call is queued on, the library handles,
 * and one growing scratch workspace for cuDNN.
 */
final class CudaContext implements DeviceMemory<CUdeviceptr>, AutoCloseable {
    final CUdevice device = new CUdevice();
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    final cublasHandle cublas = new cublasHandle();
    final cudnnHandle cudnn = new cudnnHandle();
    final String deviceName;
    private CUdeviceptr workspace;
    private long workspaceBytes;
    private boolean closed;

    CudaContext(int ordinal) {
        check(JCudaDriver.cuInit(0), "cuInit");
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        deviceName = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
        check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        cudaStream_t runtimeStream = new cudaStream_t(stream);
        checkCublas(JCublas2.cublasCreate(cublas), "cublasCreate");
        checkCublas(JCublas2.cublasSetStream(cublas, runtimeStream), "cublasSetStream");
        // FP32 GEMM without TF32 (cuBLAS default math; NVIDIA_TF32_OVERRIDE can still force it globally)
        checkCublas(JCublas2.cublasSetMathMode(cublas, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        checkCudnn(JCudnn.cudnnCreate(cudnn), "cudnnCreate");
        checkCudnn(JCudnn.cudnnSetStream(cudnn, runtimeStream), "cudnnSetStream");
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

    @Override
    public long freeBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        return JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? free[0] : -1;
    }

    @Override
    public long totalBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        return JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? total[0] : -1;
    }

    /** A scratch buffer of at least {@code bytes}, grown (never shrunk) as cuDNN algorithms need. */
    CUdeviceptr workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != null) {
                synchronize();
                free(workspace);
                workspace = null;
                workspaceBytes = 0;
            }
            CUdeviceptr p = malloc(bytes);
            if (p == null) {
                throw new CudaOutOfMemoryException("cuda: out of memory allocating a cuDNN workspace of " + bytes
                        + " bytes; device free " + freeBytes() + " bytes");
            }
            workspace = p;
            workspaceBytes = bytes;
        }
        return workspace == null ? new CUdeviceptr() : workspace;
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bind();
        synchronize();
        if (workspace != null) {
            free(workspace);
        }
        JCudnn.cudnnDestroy(cudnn);
        JCublas2.cublasDestroy(cublas);
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
