package org.cnn4j.backend;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Storage;
import org.cnn4j.tensor.Tensor;

/**
 * A backend that holds no data and runs no kernels: tensors have shapes but no contents. Building a model and
 * running its forward pass on it goes through exactly the layer and op code (shape checks, output shapes,
 * forward hooks) at no cost in time or memory, which is what a model summary ({@code cnn summary}) and parameter
 * counting need. Reading a tensor yields zeros. It lives beside the SPI, like the other backends, but is not
 * registered with {@link Backends}: pass it explicitly.
 */
public final class ShapeOnlyBackend implements Backend {
    @Override
    public String name() {
        return "shape-only";
    }

    @Override
    public String description() {
        return "shapes only: no data, no computation";
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        return new Storage(0) {
            @Override
            protected void free() {
            }
        };
    }

    @Override
    public long liveBytes() {
        return 0;
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
    }

    @Override
    public void fill(Tensor dst, float value) {
    }

    @Override
    public void copyAlongAxis(Tensor src, int srcStart, Tensor dst, int dstStart, int axis, int length) {
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b,
                     float beta, Tensor c) {
    }

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec) {
    }

    @Override
    public void conv2dBackwardBias(Tensor dy, Tensor db) {
    }

    @Override
    public void pool2dForward(Tensor x, Tensor y, PoolSpec spec) {
    }

    @Override
    public void pool2dBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec spec) {
    }

    @Override
    public void adaptiveAvgPool2dForward(Tensor x, Tensor y) {
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor dy, Tensor dx) {
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                         float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                          Tensor runningVar, float eps, Tensor y) {
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                  Tensor dgamma, Tensor dbeta) {
    }

    @Override
    public void activationForward(Activation act, float alpha, Tensor x, Tensor y) {
    }

    @Override
    public void activationBackward(Activation act, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    }

    @Override
    public void softmaxForward(boolean log, Tensor x, Tensor y) {
    }

    @Override
    public void softmaxBackward(boolean log, Tensor y, Tensor dy, Tensor dx) {
    }

    @Override
    public void nllLossForward(Tensor logProbs, Tensor labels, float smoothing, Tensor losses) {
    }

    @Override
    public void nllLossBackward(Tensor labels, float smoothing, Tensor dLosses, Tensor dLogProbs) {
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
    }

    @Override
    public void scalar(ScalarOp op, Tensor x, float s, Tensor out) {
    }

    @Override
    public void reduceSumTo(Tensor src, Tensor dst) {
    }

    @Override
    public void dropoutForward(Tensor x, float p, long seed, Tensor mask, Tensor y) {
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor momentumBuf, SgdParams p, boolean firstStep) {
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamParams p) {
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
    }

    @Override
    public void scatterAddRows(Tensor indices, Tensor src, int skipIndex, Tensor table) {
    }
}
