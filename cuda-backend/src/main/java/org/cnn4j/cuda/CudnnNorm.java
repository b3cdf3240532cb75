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
    /** CUDNN_BN_MIN_EPSILON. */
    static final double MIN_EPSILON = 1e-5;

    private final CudaContext ctx;
    private final CudnnTensors tensors;

    CudnnNorm(CudaContext ctx, CudnnTensors tensors) {
        this.ctx = ctx;
        this.tensors = tensors;
    }

    static double checkEps(String op, float eps) {
        // cuDNN rejects eps below 1e-5 (compared in double, so PyTorch's float 1e-5 must count as 1e-5)
        if (eps < 0.99999f * MIN_EPSILON) {
            throw new IllegalArgumentException(op + ": the CUDA backend (cuDNN) needs eps >= 1e-5, got " + eps);
        }
        return Math.max(eps, MIN_EPSILON);
    }

    void forwardTraining(Tensor x, CUdeviceptr xp, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr runningMean,
                         CUdeviceptr runningVar, float momentum, float eps, CUdeviceptr y, CUdeviceptr saveMean,
                         CUdeviceptr saveInvStd) {
        cudnnTensorDescriptor xd = tensors.of(x);
        checkCudnn(JCudnn.cudnnBatchNormalizationForwardTraining(ctx.cudnn, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL,
                ONE, ZERO, xd, xp, xd, y, tensors.channels(x.dim(1)), gamma, beta, momentum, runningMean, runningVar,
                checkEps("batchNormForwardTraining", eps), saveMean, saveInvStd),
                "cudnnBatchNormalizationForwardTraining");
    }

    void forwardInference(Tensor x, CUdeviceptr xp, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr runningMean,
                          CUdeviceptr runningVar, float eps, CUdeviceptr y) {
        cudnnTensorDescriptor xd = tensors.of(x);
        checkCudnn(JCudnn.cudnnBatchNormalizationForwardInference(ctx.cudnn,
                cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE, ZERO, xd, xp, xd, y, tensors.channels(x.dim(1)), gamma,
                beta, runningMean, runningVar, checkEps("batchNormForwardInference", eps)),
                "cudnnBatchNormalizationForwardInference");
    }

    /** Overwrites dx, dgamma and dbeta; uses the mean and inverse std saved by the forward pass. */
    void backward(Tensor x, CUdeviceptr xp, CUdeviceptr dy, CUdeviceptr gamma, CUdeviceptr saveMean,
                  CUdeviceptr saveInvStd, CUdeviceptr dx, CUdeviceptr dgamma, CUdeviceptr dbeta) {
        cudnnTensorDescriptor xd = tensors.of(x);
        // epsilon is not used when the saved statistics are supplied; cuDNN still validates it
        checkCudnn(JCudnn.cudnnBatchNormalizationBackward(ctx.cudnn, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE,
                ZERO, ONE, ZERO, xd, xp, xd, dy, xd, dx, tensors.channels(x.dim(1)), gamma, dgamma, dbeta,
                MIN_EPSILON, saveMean, saveInvStd), "cudnnBatchNormalizationBackward");
    }
}
