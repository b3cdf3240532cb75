package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.check;
import static org.cnn4j.cuda.CudaErrors.checkCublas;

import java.util.LinkedHashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import jcuda.jcudnn.JCudnn;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamParams;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.SgdParams;
import org.cnn4j.backend.UnaryOp;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Storage;
import org.cnn4j.tensor.Tensor;

/**
 * The CUDA backend: cuBLAS for GEMM, cuDNN for convolution, pooling, batch norm, activations and softmax,
 * custom PTX kernels for the rest, all queued on one stream of the device's primary context. Device memory
 * comes from a {@link CachingAllocator}. Host reads and writes synchronise the stream. Create it through
 * {@link CudaBackendProvider}; use it from one thread at a time (freeing tensors from any thread is safe).
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final CachingAllocator<CUdeviceptr> allocator;
    private final CudaKernels kernels;
    private final CudnnTensors tensors;
    private final CudnnConv conv;
    private final CudnnPool pool;
    private final CudnnNorm norm;
    private final CudnnActivation activation;
    private final ReleaseStack releases = new ReleaseStack();
    private boolean closed;

    CudaBackend(int device) {
        this(device, System.getProperty(ConvAlgorithmSearch.LIMIT_PROPERTY));
    }

    /** {@code workspaceLimit}: the value of {@code -Dcnn4j.cuda.workspaceLimit} (null for the default). */
    CudaBackend(int device, String workspaceLimit) {
        ctx = new CudaContext(device);
        releases.push("the CUDA context", ctx::close);
        try {
            allocator = new CachingAllocator<>(ctx);
            releases.push("the allocator's cached blocks and workspace", () -> {
                allocator.emptyCache();
                allocator.releaseScratch();
            });
            kernels = new CudaKernels(ctx);
            releases.push("the kernel module", kernels::close);
            tensors = new CudnnTensors();
            releases.push("the cuDNN tensor descriptors", tensors::close);
            conv = new CudnnConv(ctx, tensors, allocator,
                    ConvAlgorithmSearch.workspaceLimit(workspaceLimit, ctx.totalBytes()));
            releases.push("the convolution descriptors", conv::close);
            pool = new CudnnPool(ctx, tensors, kernels);
            releases.push("the pooling descriptors", pool::close);
            norm = new CudnnNorm(ctx, tensors);
            activation = new CudnnActivation(ctx, tensors, kernels);
            releases.push("the activation descriptors", activation::close);
        } catch (RuntimeException | Error e) {
            releases.releaseAfter(e);
            throw e;
        }
    }

    private CUdeviceptr ptr(Tensor t) {
        Storage s = t.storage();
        if (!(s instanceof CudaStorage cs)) {
            throw new IllegalArgumentException("tensor " + t.shape() + " belongs to backend " + t.backend().name()
                    + ", not cuda; move it with tensor.to(backend)");
        }
        return cs.pointer();
    }

    private CUdeviceptr ptrOrNull(Tensor t) {
        return t == null ? null : ptr(t);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Binds the context first: the caller's thread may never have used the device. */
    @Override
    public String description() {
        ctx.bind();
        int[] driver = new int[1];
        JCudaDriver.cuDriverGetVersion(driver);
        return ctx.deviceName + ", " + ctx.totalBytes() / (1 << 20) + " MiB, driver CUDA " + driver[0] / 1000 + "."
                + driver[0] % 1000 / 10 + ", cuDNN " + JCudnn.cudnnGetVersion() + ", JCuda "
                + CudaNatives.jcudaVersion();
    }

    // ---- memory ----

    @Override
    public Storage allocate(DType dtype, long numel) {
        if (!dtype.isComputable()) {
            throw new IllegalArgumentException("cuda backend: dtype " + dtype + " is not supported yet; use FLOAT32");
        }
        ctx.bind();
        CachingAllocator.Block<CUdeviceptr> block = allocator.allocate(numel * dtype.byteSize());
        if (numel > 0) {
            check(JCudaDriver.cuMemsetD32Async(block.pointer, 0, numel, ctx.stream), "cuMemsetD32Async");
        }
        return new CudaStorage(block, allocator);
    }

    @Override
    public long liveBytes() {
        return allocator.liveBytes();
    }

    /** Bytes of freed blocks kept for reuse. */
    public long cachedBytes() {
        return allocator.cachedBytes();
    }

    /** Bytes this backend holds from the device: blocks in use (by size class), cached blocks and workspace. */
    public long reservedBytes() {
        return allocator.reservedBytes();
    }

    /** Bytes of the cuDNN workspace (grown to the largest a chosen algorithm needed, at most the limit). */
    public long workspaceBytes() {
        return allocator.scratchBytes();
    }

    /** Bytes in use on the whole device as the driver sees them (every process and context); -1 if unknown. */
    public long deviceUsedBytes() {
        long free = ctx.freeBytes();
        return free < 0 ? -1 : ctx.totalBytes() - free;
    }

    /** The figures above by name ({@code live_bytes}, ...), for benchmarks and memory reports. */
    public Map<String, Long> memoryStats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("live_bytes", liveBytes());
        stats.put("cached_bytes", cachedBytes());
        stats.put("reserved_bytes", reservedBytes());
        stats.put("workspace_bytes", workspaceBytes());
        stats.put("device_used_bytes", deviceUsedBytes());
        return stats;
    }

    /** How many times device memory has been allocated from the driver (constant after warm-up). */
    public long deviceAllocations() {
        return allocator.deviceAllocations();
    }

    /** Returns cached (unused) blocks and the cuDNN workspace to the driver. */
    public void emptyCache() {
        ctx.bind();
        ctx.synchronize();
        allocator.emptyCache();
        allocator.releaseScratch();
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
        checkHostRange("write", dst, src, srcOffset);
        ctx.bind();
        ctx.synchronize();
        check(JCudaDriver.cuMemcpyHtoD(ptr(dst), Pointer.to(src).withByteOffset(4L * srcOffset), 4L * dst.numel()),
                "cuMemcpyHtoD");
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
        checkHostRange("read", src, dst, dstOffset);
        ctx.bind();
        ctx.synchronize();
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset(4L * dstOffset), ptr(src), 4L * src.numel()),
                "cuMemcpyDtoH");
    }

    /**
     * A host copy touches {@code array[offset, offset + numel)}: outside the array the driver would read or
     * write foreign JVM memory, so it is refused with the sizes.
     */
    static void checkHostRange(String op, Tensor t, float[] array, int offset) {
        if (array == null) {
            throw new IllegalArgumentException(op + ": the host array is null (tensor " + t.shape() + ")");
        }
        checkHostRange(op, t.shape().toString(), t.numel(), array.length, offset);
    }

    static void checkHostRange(String op, String shape, long numel, int arrayLength, int offset) {
        if (offset < 0 || offset > arrayLength || numel > arrayLength - offset) {
            throw new IllegalArgumentException(op + ": tensor " + shape + " has " + numel + " elements but the host"
                    + " array of length " + arrayLength + " holds " + Math.max(0, arrayLength - (long) offset)
                    + " from offset " + offset + "; expected 0 <= offset and offset + " + numel + " <= "
                    + arrayLength);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.numel() != dst.numel()) {
            throw new IllegalArgumentException("copy: source " + src.shape() + " has " + src.numel()
                    + " elements, destination " + dst.shape() + " has " + dst.numel() + "; expected the same count");
        }
        ctx.bind();
        check(JCudaDriver.cuMemcpyDtoDAsync(ptr(dst), ptr(src), 4L * src.numel(), ctx.stream), "cuMemcpyDtoDAsync");
    }

    @Override
    public void fill(Tensor dst, float value) {
        ctx.bind();
        check(JCudaDriver.cuMemsetD32Async(ptr(dst), Float.floatToRawIntBits(value), dst.numel(), ctx.stream),
                "cuMemsetD32Async");
    }

    @Override
    public void copyAlongAxis(Tensor src, int srcStart, Tensor dst, int dstStart, int axis, int length) {
        ctx.bind();
        int[] sd = src.shape().dims();
        long outer = src.shape().size(0, axis);
        long inner = src.shape().size(axis + 1, sd.length);
        kernels.launch(Kernel.COPY_ALONG_AXIS, outer * length * inner, ptr(src), ptr(dst), outer, sd[axis],
                dst.dim(axis), srcStart, dstStart, length, inner);
    }

    @Override
    public void synchronize() {
        ctx.bind();
        ctx.synchronize();
    }

    // ---- BLAS ----

    /** Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands, keep the flags. */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b,
                     float beta, Tensor c) {
        ctx.bind();
        if (m == 0 || n == 0) {
            return;
        }
        int[] args = cublasArgs(transA, transB, m, n, k);
        checkCublas(JCublas2.cublasSgemm(ctx.cublas, args[0], args[1], args[2], args[3], args[4],
                Pointer.to(new float[] {alpha}), ptr(b), args[5], ptr(a), args[6], Pointer.to(new float[] {beta}),
                ptr(c), args[7]), "cublasSgemm(m=" + m + ", n=" + n + ", k=" + k + ")");
    }

    /** {opFirst, opSecond, M, N, K, ldFirst (B), ldSecond (A), ldC} of the column-major call. */
    static int[] cublasArgs(boolean transA, boolean transB, int m, int n, int k) {
        return new int[] {transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N, n, m, k,
                Math.max(1, transB ? k : n), Math.max(1, transA ? m : k), Math.max(1, n)};
    }

    // ---- convolution ----

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        ctx.bind();
        conv.forward(ptr(x), x.shape().dims(), ptr(w), w.shape().dims(), ptr(y), y.shape().dims(), spec);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        ctx.bind();
        conv.backwardData(ptr(dy), dy.shape().dims(), ptr(w), w.shape().dims(), ptr(dx), dx.shape().dims(), spec);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec) {
        ctx.bind();
        conv.backwardFilter(ptr(x), x.shape().dims(), ptr(dy), dy.shape().dims(), ptr(dw), dw.shape().dims(), spec);
    }

    @Override
    public void conv2dBackwardBias(Tensor dy, Tensor db) {
        ctx.bind();
        conv.backwardBias(ptr(dy), dy, ptr(db), dy.dim(1));
    }

    // ---- pooling ----

    @Override
    public void pool2dForward(Tensor x, Tensor y, PoolSpec spec) {
        ctx.bind();
        pool.forward(x, ptr(x), y, ptr(y), spec);
    }

    @Override
    public void pool2dBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec spec) {
        ctx.bind();
        pool.backward(x, ptr(x), ptrOrNull(y), dy, ptr(dy), dx, ptr(dx), spec);
    }

    @Override
    public void adaptiveAvgPool2dForward(Tensor x, Tensor y) {
        ctx.bind();
        long planes = (long) x.dim(0) * x.dim(1);
        kernels.launch(Kernel.ADAPTIVE_AVG_FWD, y.numel(), ptr(x), ptr(y), planes, x.dim(2), x.dim(3), y.dim(2),
                y.dim(3));
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor dy, Tensor dx) {
        ctx.bind();
        long planes = (long) dx.dim(0) * dx.dim(1);
        kernels.launch(Kernel.ADAPTIVE_AVG_BWD, dx.numel(), ptr(dy), ptr(dx), planes, dx.dim(2), dx.dim(3),
                dy.dim(2), dy.dim(3));
    }

    // ---- batch norm ----

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                         Tensor runningVar, float momentum, float eps, Tensor y, Tensor saveMean,
                                         Tensor saveInvStd) {
        ctx.bind();
        norm.forwardTraining(x, ptr(x), ptr(gamma), ptr(beta), ptr(runningMean), ptr(runningVar), momentum, eps,
                ptr(y), ptr(saveMean), ptr(saveInvStd));
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                          Tensor runningVar, float eps, Tensor y) {
        ctx.bind();
        norm.forwardInference(x, ptr(x), ptr(gamma), ptr(beta), ptr(runningMean), ptr(runningVar), eps, ptr(y));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                  Tensor dgamma, Tensor dbeta) {
        ctx.bind();
        norm.backward(x, ptr(x), ptr(dy), ptr(gamma), ptr(saveMean), ptr(saveInvStd), ptr(dx), ptr(dgamma),
                ptr(dbeta));
    }

    // ---- activations and softmax ----

    @Override
    public void activationForward(Activation act, float alpha, Tensor x, Tensor y) {
        ctx.bind();
        activation.forward(act, alpha, x, ptr(x), ptr(y));
    }

    @Override
    public void activationBackward(Activation act, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        ctx.bind();
        if (y == null && CudnnActivation.usesCudnn(act)) {
            // cuDNN's backward reads the forward output; recompute it into a scratch block
            CachingAllocator.Block<CUdeviceptr> scratch = allocator.allocate(4L * x.numel());
            try {
                activation.forward(act, alpha, x, ptr(x), scratch.pointer);
                activation.backward(act, alpha, x, ptr(x), scratch.pointer, ptr(dy), ptr(dx));
            } finally {
                allocator.release(scratch);
            }
            return;
        }
        activation.backward(act, alpha, x, ptr(x), ptrOrNull(y), ptr(dy), ptr(dx));
    }

    @Override
    public void softmaxForward(boolean log, Tensor x, Tensor y) {
        ctx.bind();
        activation.softmaxForward(log, x, ptr(x), ptr(y));
    }

    @Override
    public void softmaxBackward(boolean log, Tensor y, Tensor dy, Tensor dx) {
        ctx.bind();
        activation.softmaxBackward(log, y, ptr(y), ptr(dy), ptr(dx));
    }

    // ---- loss ----

    @Override
    public void nllLossForward(Tensor logProbs, Tensor labels, float smoothing, Tensor losses) {
        ctx.bind();
        int rows = logProbs.dim(0);
        kernels.launch(Kernel.NLL_FWD, rows, ptr(logProbs), ptr(labels), smoothing, ptr(losses), rows,
                logProbs.dim(1));
    }

    @Override
    public void nllLossBackward(Tensor labels, float smoothing, Tensor dLosses, Tensor dLogProbs) {
        ctx.bind();
        kernels.launch(Kernel.NLL_BWD, dLogProbs.numel(), ptr(labels), smoothing, ptr(dLosses), ptr(dLogProbs),
                dLogProbs.dim(0), dLogProbs.dim(1));
    }

    // ---- elementwise and reductions ----

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        ctx.bind();
        long n = out.numel();
        if (a.shape().equals(out.shape()) && b.shape().equals(out.shape())) {
            kernels.launch(Kernel.BINARY_SAME, n, OpCodes.of(op), ptr(a), ptr(b), ptr(out), n);
        } else {
            kernels.launch(Kernel.BINARY_BCAST, n, OpCodes.of(op), ptr(a), ptr(b), ptr(out), n,
                    Geometry.binary(op.name(), a.shape().dims(), b.shape().dims(), out.shape().dims()));
        }
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        ctx.bind();
        kernels.launch(Kernel.UNARY_OP, x.numel(), OpCodes.of(op), ptr(x), ptr(out), x.numel());
    }

    @Override
    public void scalar(ScalarOp op, Tensor x, float s, Tensor out) {
        ctx.bind();
        kernels.launch(Kernel.SCALAR_OP, x.numel(), OpCodes.of(op), ptr(x), s, ptr(out), x.numel());
    }

    @Override
    public void reduceSumTo(Tensor src, Tensor dst) {
        ctx.bind();
        if (src.numel() == dst.numel()) {
            copy(src, dst);
            return;
        }
        kernels.reduceSumTo(ptr(src), src.shape().dims(), ptr(dst), dst.shape().dims(), allocator);
    }

    @Override
    public void dropoutForward(Tensor x, float p, long seed, Tensor mask, Tensor y) {
        ctx.bind();
        long n = x.numel();
        kernels.launch(Kernel.DROPOUT_FWD, n, ptr(x), p, 1f / (1f - p), seed, ptr(mask), ptr(y), n);
    }

    // ---- optimizers ----

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor momentumBuf, SgdParams p, boolean firstStep) {
        ctx.bind();
        if (p.momentum() != 0f && momentumBuf == null) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + p.momentum() + " needs a momentum buffer");
        }
        long n = param.numel();
        kernels.launch(Kernel.SGD_STEP, n, ptr(param), ptr(grad), ptrOrNull(momentumBuf), p.lr(), p.momentum(),
                p.dampening(), p.nesterov() ? 1 : 0, p.weightDecay(), firstStep ? 1 : 0, n);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamParams p) {
        ctx.bind();
        double bc1 = 1 - Math.pow(p.beta1(), p.step());
        double bc2 = 1 - Math.pow(p.beta2(), p.step());
        long n = param.numel();
        kernels.launch(Kernel.ADAM_STEP, n, ptr(param), ptr(grad), ptr(expAvg), ptr(expAvgSq), p.lr(), p.beta1(),
                p.beta2(), p.eps(), p.weightDecay(), p.decoupled() ? 1 : 0, (float) (p.lr() / bc1),
                (float) Math.sqrt(bc2), n);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releases.closeAfter(() -> {
            ctx.bind();
            ctx.synchronize();
        });
    }

    @Override
    public String toString() {
        return "CudaBackend[" + ctx.deviceName + ", live " + liveBytes() + " B, cached " + cachedBytes() + " B]"
                + (closed ? " (closed)" : "");
    }

    // ---- row gather / scatter-add ----

    /** Buckets of table rows in scatterAddRows: {@code width * 64} threads, each owning its table elements. */
    static final int SCATTER_BUCKETS = 64;

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
        ctx.bind();
        long n = indices.numel();
        int width = table.dim(1);
        kernels.launch(Kernel.GATHER_ROWS, n * width, ptr(table), ptr(indices), ptr(out), n, width);
    }

    @Override
    public void scatterAddRows(Tensor indices, Tensor src, int skipIndex, Tensor table) {
        ctx.bind();
        int width = table.dim(1);
        kernels.launch(Kernel.SCATTER_ADD_ROWS, (long) width * SCATTER_BUCKETS, ptr(indices), ptr(src), ptr(table),
                indices.numel(), width, skipIndex, SCATTER_BUCKETS);
    }
}
