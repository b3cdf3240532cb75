package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;
import static org.cnn4j.cuda.CudnnTensors.ONE;
import static org.cnn4j.cuda.CudnnTensors.ZERO;

import java.util.EnumMap;
import java.util.Map;

import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnActivationMode;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnSoftmaxAlgorithm;
import jcuda.jcudnn.cudnnSoftmaxMode;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.cnn4j.backend.Activation;
import org.cnn4j.tensor.Tensor;

/**
 * Activations and softmax: cuDNN for ReLU, sigmoid, tanh and (log-)softmax; every other {@link Activation} entry
 * (leaky ReLU, exact GELU, SiLU, Hardswish, Hardsigmoid, ReLU6, which cuDNN's legacy activation API does not
 * offer) through kernels.cu's {@code activation_fwd} / {@code activation_bwd}, switched on the entry's op code.
 */
final class CudnnActivation implements AutoCloseable {
    private final CudaContext ctx;
    private final CudnnTensors tensors;
    private final CudaKernels kernels;
    private final Map<Activation, cudnnActivationDescriptor> descriptors = new EnumMap<>(Activation.class);

    CudnnActivation(CudaContext ctx, CudnnTensors tensors, CudaKernels kernels) {
        this.ctx = ctx;
        this.tensors = tensors;
        this.kernels = kernels;
    }

    /** Whether cuDNN computes this activation (otherwise a custom kernel does). */
    static boolean usesCudnn(Activation act) {
        return act == Activation.RELU || act == Activation.SIGMOID || act == Activation.TANH;
    }

    private cudnnActivationDescriptor descriptor(Activation act) {
        return descriptors.computeIfAbsent(act, a -> {
            int mode = switch (a) {
                case RELU -> cudnnActivationMode.CUDNN_ACTIVATION_RELU;
                case SIGMOID -> cudnnActivationMode.CUDNN_ACTIVATION_SIGMOID;
                case TANH -> cudnnActivationMode.CUDNN_ACTIVATION_TANH;
                default -> throw new IllegalArgumentException("no cuDNN activation for " + a);
            };
            cudnnActivationDescriptor d = new cudnnActivationDescriptor();
            checkCudnn(JCudnn.cudnnCreateActivationDescriptor(d), "cudnnCreateActivationDescriptor");
            checkCudnn(JCudnn.cudnnSetActivationDescriptor(d, mode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0),
                    "cudnnSetActivationDescriptor(" + a + ")");
            return d;
        });
    }

    void forward(Activation act, float alpha, Tensor x, CUdeviceptr xp, CUdeviceptr yp) {
        long n = x.numel();
        if (!usesCudnn(act)) {
            kernels.launch(Kernel.ACTIVATION_FWD, n, OpCodes.of(act), xp, yp, alpha, n);
            return;
        }
        cudnnTensorDescriptor d = tensors.flat(x);
        checkCudnn(JCudnn.cudnnActivationForward(ctx.cudnn, descriptor(act), ONE, d, xp, ZERO, d, yp),
                "cudnnActivationForward(" + act + ")");
    }

    /** {@code yp} must hold the forward output for the cuDNN activations. */
    void backward(Activation act, float alpha, Tensor x, CUdeviceptr xp, CUdeviceptr yp, CUdeviceptr dyp,
                  CUdeviceptr dxp) {
        long n = x.numel();
        if (!usesCudnn(act)) {
            kernels.launch(Kernel.ACTIVATION_BWD, n, OpCodes.of(act), xp, dyp, dxp, alpha, n);
            return;
        }
        cudnnTensorDescriptor d = tensors.flat(x);
        checkCudnn(JCudnn.cudnnActivationBackward(ctx.cudnn, descriptor(act), ONE, d, yp, d, dyp, d, xp, ZERO, d,
                dxp), "cudnnActivationBackward(" + act + ")");
    }

    /** Softmax or log-softmax over the last axis of [rows, cols] (cuDNN instance mode over C of [rows,cols,1,1]). */
    void softmaxForward(boolean log, Tensor x, CUdeviceptr xp, CUdeviceptr yp) {
        cudnnTensorDescriptor d = tensors.nchw(x.dim(0), x.dim(1), 1, 1);
        checkCudnn(JCudnn.cudnnSoftmaxForward(ctx.cudnn, algorithm(log), cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_INSTANCE,
                ONE, d, xp, ZERO, d, yp), "cudnnSoftmaxForward");
    }

    void softmaxBackward(boolean log, Tensor y, CUdeviceptr yp, CUdeviceptr dyp, CUdeviceptr dxp) {
        cudnnTensorDescriptor d = tensors.nchw(y.dim(0), y.dim(1), 1, 1);
        checkCudnn(JCudnn.cudnnSoftmaxBackward(ctx.cudnn, algorithm(log),
                cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_INSTANCE, ONE, d, yp, d, dyp, ZERO, d, dxp), "cudnnSoftmaxBackward");
    }

    private static int algorithm(boolean log) {
        return log ? cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_LOG : cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_ACCURATE;
    }

    @Override
    public void close() {
        descriptors.values().forEach(JCudnn::cudnnDestroyActivationDescriptor);
        descriptors.clear();
    }
}
