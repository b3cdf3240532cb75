package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;
import static org.cnn4j.cuda.CudnnTensors.ONE;
import static org.cnn4j.cuda.CudnnTensors.ZERO;

import java.util.HashMap;
import java.util.Map;

import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnPoolingMode;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.tensor.Tensor;

/**
 * Max/avg pooling. cuDNN handles the windows it can express exactly (floor mode, or ceil mode that adds no
 * extra window); custom kernels handle the rest of PyTorch's rules (ceil-mode windows that overhang the
 * padded input, whose average divisor PyTorch clips). Max-pool backward always uses the custom kernel, which
 * routes the gradient to the first maximum of each window as the Backend contract (and PyTorch) specify;
 * cuDNN's choice among tied maxima is not documented.
 */
final class CudnnPool implements AutoCloseable {
    private final CudaContext ctx;
    private final CudnnTensors tensors;
    private final CudaKernels kernels;
    private final Map<PoolSpec, cudnnPoolingDescriptor> descriptors = new HashMap<>();

    CudnnPool(CudaContext ctx, CudnnTensors tensors, CudaKernels kernels) {
        this.ctx = ctx;
        this.tensors = tensors;
        this.kernels = kernels;
    }

    /** Whether cuDNN's floor-mode output size and windows equal PyTorch's for this input. */
    static boolean cudnnExact(PoolSpec spec, int h, int w) {
        if (!spec.ceilMode()) {
            return true;
        }
        PoolSpec floor = spec.withCeilMode(false);
        return floor.outH(h) == spec.outH(h) && floor.outW(w) == spec.outW(w);
    }

    /** The geometry struct of kernels.cu's {@code Pool}: N,C,H,W,P,Q, kernel, stride, padding, includePad. */
    static int[] geometry(int[] x, int[] y, PoolSpec s) {
        return new int[] {x[0], x[1], x[2], x[3], y[2], y[3], s.kernelH(), s.kernelW(), s.strideH(), s.strideW(),
                s.padH(), s.padW(), s.countIncludePad() ? 1 : 0};
    }

    private cudnnPoolingDescriptor descriptor(PoolSpec spec) {
        return descriptors.computeIfAbsent(spec, s -> {
            int mode = s.mode() == PoolSpec.PoolMode.MAX ? cudnnPoolingMode.CUDNN_POOLING_MAX
                    : s.countIncludePad() ? cudnnPoolingMode.CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING
                    : cudnnPoolingMode.CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
            cudnnPoolingDescriptor d = new cudnnPoolingDescriptor();
            checkCudnn(JCudnn.cudnnCreatePoolingDescriptor(d), "cudnnCreatePoolingDescriptor");
            checkCudnn(JCudnn.cudnnSetPooling2dDescriptor(d, mode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN,
                    s.kernelH(), s.kernelW(), s.padH(), s.padW(), s.strideH(), s.strideW()),
                    "cudnnSetPooling2dDescriptor(" + s + ")");
            return d;
        });
    }

    void forward(Tensor x, CUdeviceptr xp, Tensor y, CUdeviceptr yp, PoolSpec spec) {
        int[] xd = x.shape().dims();
        int[] yd = y.shape().dims();
        if (cudnnExact(spec, xd[2], xd[3])) {
            checkCudnn(JCudnn.cudnnPoolingForward(ctx.cudnn, descriptor(spec), ONE, tensors.of(x), xp, ZERO,
                    tensors.of(y), yp), "cudnnPoolingForward");
            return;
        }
        Kernel k = spec.mode() == PoolSpec.PoolMode.MAX ? Kernel.MAX_POOL_FWD : Kernel.AVG_POOL_FWD;
        kernels.launch(k, y.numel(), xp, yp, geometry(xd, yd, spec));
    }

    /** {@code yp} (the forward output) may be null; it is only passed to cuDNN's average-pool backward. */
    void backward(Tensor x, CUdeviceptr xp, CUdeviceptr yp, Tensor dy, CUdeviceptr dyp, Tensor dx, CUdeviceptr dxp,
                  PoolSpec spec) {
        int[] xd = x.shape().dims();
        int[] yd = dy.shape().dims();
        if (spec.mode() == PoolSpec.PoolMode.MAX) {
            kernels.launch(Kernel.MAX_POOL_BWD, dx.numel(), xp, dyp, dxp, geometry(xd, yd, spec));
        } else if (yp != null && cudnnExact(spec, xd[2], xd[3])) {
            checkCudnn(JCudnn.cudnnPoolingBackward(ctx.cudnn, descriptor(spec), ONE, tensors.of(dy), yp,
                    tensors.of(dy), dyp, tensors.of(x), xp, ZERO, tensors.of(dx), dxp), "cudnnPoolingBackward");
        } else {
            kernels.launch(Kernel.AVG_POOL_BWD, dx.numel(), dyp, dxp, geometry(xd, yd, spec));
        }
    }

    @Override
    public void close() {
        descriptors.values().forEach(JCudnn::cudnnDestroyPoolingDescriptor);
        descriptors.clear();
    }
}
