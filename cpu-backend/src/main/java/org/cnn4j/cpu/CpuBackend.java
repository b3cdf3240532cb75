package org.cnn4j.cpu;

import java.util.concurrent.atomic.AtomicLong;

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
 * The pure-Java backend. Each method unwraps float arrays and calls one kernel class; the kernel classes keep
 * plain reference loops (the oracle for every other backend) beside their fast paths.
 */
public final class CpuBackend implements Backend {
    private final AtomicLong live = new AtomicLong();
    /** Released arrays kept for reuse: at most a quarter of the maximum heap. */
    private final CpuArrayPool pool = new CpuArrayPool(Runtime.getRuntime().maxMemory() / 4);

    static float[] data(Tensor t) {
        Storage s = t.storage();
        if (!(s instanceof CpuStorage cs)) {
            throw new IllegalArgumentException("tensor " + t.shape() + " belongs to backend " + t.backend().name()
                    + ", not cpu; move it with tensor.to(backend)");
        }
        return cs.data;
    }

    static int[] dims(Tensor t) {
        return t.shape().dims();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "pure Java, " + CpuThreads.parallelism() + " threads, " + VectorSupport.describe() + ", "
                + System.getProperty("java.vm.name") + " "
                + Runtime.version();
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        if (!dtype.isComputable()) {
            throw new IllegalArgumentException("cpu backend: dtype " + dtype + " is not supported yet; use FLOAT32");
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cpu backend: cannot allocate " + numel + " elements (max "
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        return new CpuStorage((int) numel, live, pool);
    }

    @Override
    public long liveBytes() {
        return live.get();
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, data(dst), 0, (int) dst.numel());
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
        System.arraycopy(data(src), 0, dst, dstOffset, (int) src.numel());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), 0, data(dst), 0, (int) src.numel());
    }

    @Override
    public void fill(Tensor dst, float value) {
        java.util.Arrays.fill(data(dst), value);
    }

    @Override
    public void copyAlongAxis(Tensor src, int srcStart, Tensor dst, int dstStart, int axis, int length) {
        CpuElementwise.copyAlongAxis(data(src), dims(src), srcStart, data(dst), dims(dst), dstStart, axis, length);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b,
                     float beta, Tensor c) {
        CpuGemm.gemm(transA, transB, m, n, k, alpha, data(a), 0, data(b), 0, beta, data(c), 0);
    }

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        if (CpuDepthwise.applies(dims(x), dims(w), spec)) {
            CpuDepthwise.forward(data(x), dims(x), data(w), dims(w), data(y), dims(y), spec);
        } else {
            CpuConv.forward(data(x), dims(x), data(w), dims(w), data(y), dims(y), spec);
        }
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        if (CpuDepthwise.applies(dims(dx), dims(w), spec)) {
            CpuDepthwise.backwardData(data(dy), dims(dy), data(w), dims(w), data(dx), dims(dx), spec);
        } else {
            CpuConv.backwardData(data(dy), dims(dy), data(w), dims(w), data(dx), dims(dx), spec);
        }
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec) {
        if (CpuDepthwise.applies(dims(x), dims(dw), spec)) {
            CpuDepthwise.backwardFilter(data(x), dims(x), data(dy), dims(dy), data(dw), dims(dw), spec);
        } else {
            CpuConv.backwardFilter(data(x), dims(x), data(dy), dims(dy), data(dw), dims(dw), spec);
        }
    }

    @Override
    public void conv2dBackwardBias(Tensor dy, Tensor db) {
        CpuConv.backwardBias(data(dy), dims(dy), data(db));
    }

    @Override
    public void pool2dForward(Tensor x, Tensor y, PoolSpec spec) {
        CpuPool.forward(data(x), dims(x), data(y), dims(y), spec);
    }

    @Override
    public void pool2dBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec spec) {
        CpuPool.backward(data(x), dims(x), data(dy), dims(dy), data(dx), spec);
    }

    @Override
    public void adaptiveAvgPool2dForward(Tensor x, Tensor y) {
        CpuPool.adaptiveAvgForward(data(x), dims(x), data(y), dims(y));
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor dy, Tensor dx) {
        CpuPool.adaptiveAvgBackward(data(dy), dims(dy), data(dx), dims(dx));
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                         Tensor runningVar, float momentum, float eps, Tensor y, Tensor saveMean,
                                         Tensor saveInvStd) {
        CpuBatchNorm.forwardTraining(data(x), dims(x), data(gamma), data(beta), data(runningMean),
                data(runningVar), momentum, eps, data(y), data(saveMean), data(saveInvStd));
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                          Tensor runningVar, float eps, Tensor y) {
        CpuBatchNorm.forwardInference(data(x), dims(x), data(gamma), data(beta), data(runningMean),
                data(runningVar), eps, data(y));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                  Tensor dgamma, Tensor dbeta) {
        CpuBatchNorm.backward(data(x), dims(x), data(dy), data(gamma), data(saveMean), data(saveInvStd), data(dx),
                data(dgamma), data(dbeta));
    }

    @Override
    public void activationForward(Activation act, float alpha, Tensor x, Tensor y) {
        CpuActivation.forward(act, alpha, data(x), data(y));
    }

    @Override
    public void activationBackward(Activation act, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        CpuActivation.backward(act, alpha, data(x), data(y), data(dy), data(dx));
    }

    @Override
    public void softmaxForward(boolean log, Tensor x, Tensor y) {
        CpuSoftmax.forward(log, data(x), x.dim(0), x.dim(1), data(y));
    }

    @Override
    public void softmaxBackward(boolean log, Tensor y, Tensor dy, Tensor dx) {
        CpuSoftmax.backward(log, data(y), data(dy), y.dim(0), y.dim(1), data(dx));
    }

    @Override
    public void nllLossForward(Tensor logProbs, Tensor labels, float smoothing, Tensor losses) {
        CpuLoss.nllForward(data(logProbs), logProbs.dim(0), logProbs.dim(1), data(labels), smoothing, data(losses));
    }

    @Override
    public void nllLossBackward(Tensor labels, float smoothing, Tensor dLosses, Tensor dLogProbs) {
        CpuLoss.nllBackward(data(labels), smoothing, data(dLosses), dLogProbs.dim(0), dLogProbs.dim(1),
                data(dLogProbs));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.binary(op, data(a), dims(a), data(b), dims(b), data(out), dims(out));
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        CpuElementwise.unary(op, data(x), data(out));
    }

    @Override
    public void scalar(ScalarOp op, Tensor x, float s, Tensor out) {
        CpuElementwise.scalar(op, data(x), s, data(out));
    }

    @Override
    public void reduceSumTo(Tensor src, Tensor dst) {
        CpuReduce.sumTo(data(src), dims(src), data(dst), dims(dst));
    }

    @Override
    public void dropoutForward(Tensor x, float p, long seed, Tensor mask, Tensor y) {
        CpuElementwise.dropout(data(x), p, seed, data(mask), data(y));
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor momentumBuf, SgdParams p, boolean firstStep) {
        CpuOptim.sgd(data(param), data(grad), momentumBuf == null ? null : data(momentumBuf), p, firstStep);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamParams p) {
        CpuOptim.adam(data(param), data(grad), data(expAvg), data(expAvgSq), p);
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
        CpuGather.gather(data(table), table.dim(1), data(indices), (int) indices.numel(), data(out));
    }

    @Override
    public void scatterAddRows(Tensor indices, Tensor src, int skipIndex, Tensor table) {
        CpuGather.scatterAdd(data(indices), (int) indices.numel(), data(src), table.dim(1), skipIndex, data(table));
    }
}
