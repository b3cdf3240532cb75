package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;
import static org.cnn4j.cuda.CudnnTensors.ONE;
import static org.cnn4j.cuda.CudnnTensors.ZERO;

import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnBatchNormMode;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation with cuDNN's spatial mode (per channel over N,H,W; [N,C] inputs are viewed as
 * [N,C,1,1]). cuDNN's running-variance update uses the unbiased batch variance and its saved inverse standard
 * deviation uses the biased one, exactly as the Backend contract (and PyTorch) specify; the exponential
 * average factor is PyTorch's momentum.
 */
final class CudnnNorm {
    /**
     * The epsilon passed to the backward call, where cuDNN does not use it (the saved mean and inverse std are
     * supplied); any valid value does. CUDNN_BN_MIN_EPSILON is 0 in cuDNN 8 and 9 (early cuDNN 7 had 1e-5).
     */
    static final double BACKWARD_EPSILON = 1e-5;

    private final CudaContext ctx;
    private final CudnnTensors tensors;

    CudnnNorm(CudaContext ctx, CudnnTensors tensors) {
        this.ctx = ctx;
        this.tensors = tensors;
    }

    /** The epsilon cuDNN gets: the caller's float exactly, as the CPU backend uses it (no clamping). */
    static double cudnnEpsilon(String op, float eps) {
        if (!(eps >= 0f)) {  // cuDNN rejects epsilon < CUDNN_BN_MIN_EPSILON (0)
            throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        }
        return eps;
    }

    void forwardTraining(Tensor x, CUdeviceptr xp, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr runningMean,
                         CUdeviceptr runningVar, float momentum, float eps, CUdeviceptr y, CUdeviceptr saveMean,
                         CUdeviceptr saveInvStd) {
        cudnnTensorDescriptor xd = tensors.of(x);
        checkCudnn(JCudnn.cudnnBatchNormalizationForwardTraining(ctx.cudnn, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL,
                ONE, ZERO, xd, xp, xd, y, tensors.channels(x.dim(1)), gamma, beta, momentum, runningMean, runningVar,
                cudnnEpsilon("batchNormForwardTraining", eps), saveMean, saveInvStd),
                "cudnnBatchNormalizationForwardTraining");
    }

    void forwardInference(Tensor x, CUdeviceptr xp, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr runningMean,
                          CUdeviceptr runningVar, float eps, CUdeviceptr y) {
        cudnnTensorDescriptor xd = tensors.of(x);
        checkCudnn(JCudnn.cudnnBatchNormalizationForwardInference(ctx.cudnn,
                cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE, ZERO, xd, xp, xd, y, tensors.channels(x.dim(1)), gamma,
                beta, runningMean, runningVar, cudnnEpsilon("batchNormForwardInference", eps)),
                "cudnnBatchNormalizationForwardInference");
    }

    /** Overwrites dx, dgamma and dbeta; uses the mean and inverse std saved by the forward pass. */
    void backward(Tensor x, CUdeviceptr xp, CUdeviceptr dy, CUdeviceptr gamma, CUdeviceptr saveMean,
                  CUdeviceptr saveInvStd, CUdeviceptr dx, CUdeviceptr dgamma, CUdeviceptr dbeta) {
        cudnnTensorDescriptor xd = tensors.of(x);
        checkCudnn(JCudnn.cudnnBatchNormalizationBackward(ctx.cudnn, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE,
                ZERO, ONE, ZERO, xd, xp, xd, dy, xd, dx, tensors.channels(x.dim(1)), gamma, dgamma, dbeta,
                BACKWARD_EPSILON, saveMean, saveInvStd), "cudnnBatchNormalizationBackward");
    }
}
