package org.cnn4j.backend;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Storage;
import org.cnn4j.tensor.Tensor;

/**
 * The kernels a device runs. Each method is one cuDNN/cuBLAS call (or one custom kernel) on CUDA and one
 * loop nest on the CPU; everything else (autograd, shape checks, layers, optimizers) lives in core and is
 * written once. Tensors passed here are contiguous, row-major (NCHW), float32, and belong to this backend;
 * shapes have already been validated by the calling op, and output tensors are already allocated.
 */
public interface Backend extends AutoCloseable {

    /** Short name used for selection: "cpu", "cuda". */
    String name();

    /** One line describing the device (model, threads, driver and library versions). */
    String description();

    // ---- memory ----

    /** Allocates zero-filled memory for {@code numel} elements of {@code dtype}. */
    Storage allocate(DType dtype, long numel);

    /** Bytes currently allocated through this backend and not yet freed (tests assert it returns to zero). */
    long liveBytes();

    /** Copies {@code dst.numel()} floats from the host array, starting at {@code srcOffset}. */
    void write(Tensor dst, float[] src, int srcOffset);

    /** Copies all of {@code src} to the host array, starting at {@code dstOffset}. */
    void read(Tensor src, float[] dst, int dstOffset);

    /** Copies {@code src} to {@code dst}; both have the same number of elements. */
    void copy(Tensor src, Tensor dst);

    void fill(Tensor dst, float value);

    /**
     * Copies the slab {@code [srcStart, srcStart+length)} of {@code src} along {@code axis} into
     * {@code [dstStart, dstStart+length)} of {@code dst}; all other dimensions agree (concat/split).
     */
    void copyAlongAxis(Tensor src, int srcStart, Tensor dst, int dstStart, int axis, int length);

    /** Waits until queued work is finished (a no-op on synchronous backends). */
    default void synchronize() {
    }

    // ---- BLAS ----

    /** Row-major {@code C = alpha * op(A) * op(B) + beta * C}, op(A) is m x k, op(B) is k x n. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta,
              Tensor c);

    // ---- convolution: x [N,C,H,W], w [K,C/groups,R,S], y [N,K,P,Q] ----

    void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec);

    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec);

    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec);

    /** {@code db[k] = sum over n,p,q of dy[n,k,p,q]}. */
    void conv2dBackwardBias(Tensor dy, Tensor db);

    // ---- pooling ----

    void pool2dForward(Tensor x, Tensor y, PoolSpec spec);

    /** Max pooling routes {@code dy} to the first maximum of each window (recomputed from {@code x}). */
    void pool2dBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec spec);

    /** PyTorch's adaptive average pooling: bin i spans [floor(i*H/P), ceil((i+1)*H/P)). */
    void adaptiveAvgPool2dForward(Tensor x, Tensor y);

    void adaptiveAvgPool2dBackward(Tensor dy, Tensor dx);

    // ---- batch normalisation over [N,C,H,W] (or [N,C]) with per-channel parameters ----

    /**
     * Normalises with batch statistics, updates running stats in place ({@code r = (1-m) r + m * stat}, the
     * variance unbiased) and saves the batch mean and 1/sqrt(var+eps) (biased var) for the backward pass.
     */
    void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                  float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd);

    void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float eps, Tensor y);

    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                           Tensor dgamma, Tensor dbeta);

    // ---- activations and softmax ----

    void activationForward(Activation act, float alpha, Tensor x, Tensor y);

    void activationBackward(Activation act, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /** Softmax (or log-softmax) over the last axis of a [rows, cols] tensor. */
    void softmaxForward(boolean log, Tensor x, Tensor y);

    void softmaxBackward(boolean log, Tensor y, Tensor dy, Tensor dx);

    // ---- loss ----

    /**
     * Per-sample negative log-likelihood with label smoothing {@code s}:
     * {@code loss[i] = -(1-s) * logp[i, label[i]] - (s/C) * sum_c logp[i, c]}. Labels are class indices stored
     * as floats in a [rows] tensor.
     */
    void nllLossForward(Tensor logProbs, Tensor labels, float smoothing, Tensor losses);

    /** Gradient of the above: {@code dLogProbs[i, c] = -dLosses[i] * ((1-s) [c == label[i]] + s/C)}. */
    void nllLossBackward(Tensor labels, float smoothing, Tensor dLosses, Tensor dLogProbs);

    // ---- elementwise and reductions ----

    /** {@code out = a op b} with NumPy broadcasting of a and b to out's shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    void unary(UnaryOp op, Tensor x, Tensor out);

    void scalar(ScalarOp op, Tensor x, float s, Tensor out);

    /** Sums {@code src} over the axes where {@code dst} (same rank, or fewer leading axes) has size 1. */
    void reduceSumTo(Tensor src, Tensor dst);

    /**
     * Inverted dropout: {@code mask = u >= p ? 1/(1-p) : 0} with {@code u = CounterRng.uniform(seed, i)},
     * {@code y = x * mask}. The counter-based generator makes masks identical on every backend.
     */
    void dropoutForward(Tensor x, float p, long seed, Tensor mask, Tensor y);

    // ---- fused optimizer updates (in place on param and state) ----

    /** PyTorch SGD; {@code momentumBuf} is null when momentum is 0; {@code firstStep} initialises it. */
    void sgdUpdate(Tensor param, Tensor grad, Tensor momentumBuf, SgdParams p, boolean firstStep);

    /** PyTorch Adam / AdamW with bias correction. */
    void adamUpdate(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamParams p);

    // ---- row gather / scatter (embedding lookup and its gradient) ----

    /**
     * {@code out[i, :] = table[index[i], :]} for a table [rows, width], indices [n] (integer values stored as
     * floats, already checked to lie in [0, rows)) and out [n, width].
     */
    void gatherRows(Tensor table, Tensor indices, Tensor out);

    /**
     * {@code table[index[i], :] += src[i, :]} for every i whose index is not {@code skipIndex} (-1 skips none),
     * added in increasing i so that the result does not depend on threads or scheduling.
     */
    void scatterAddRows(Tensor indices, Tensor src, int skipIndex, Tensor table);

    /** Releases device resources; tensors of this backend must not be used afterwards. */
    @Override
    default void close() {
    }
}
