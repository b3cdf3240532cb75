package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;
import static org.cnn4j.cuda.CudnnTensors.ONE;
import static org.cnn4j.cuda.CudnnTensors.ZERO;

import java.util.HashMap;
import java.util.Map;

import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.tensor.Tensor;

/**
 * cuDNN convolutions. Per shape a plan holds the descriptors and the algorithm chosen for each direction:
 * by cuDNN's heuristics ({@code cudnnGet*_v7}, deterministic choice, PyTorch's default) or, with
 * {@code -Dcnn4j.cuda.benchmark=true}, by timing ({@code cudnnFind*}). Math type follows PyTorch:
 * {@code CUDNN_DEFAULT_MATH} (TF32 tensor cores allowed on Ampere+) unless {@code -Dcnn4j.cuda.tf32=false},
 * which selects {@code CUDNN_FMA_MATH} (strict FP32). JCudnn 12.6.0's JNI copies {@code mathType} back only for
 * backward-filter results; forward and backward-data results always read 0, so their math type is the requested
 * one, never the (unreported) per-algorithm value.
 */
final class CudnnConv implements AutoCloseable {
    private static final int MAX_ALGOS = 16;

    private record Key(int n, int c, int h, int w, int k, int cPerGroup, int r, int s, int p, int q, ConvSpec spec) {
    }

    private static final class Plan {
        cudnnTensorDescriptor x;
        cudnnFilterDescriptor w;
        cudnnTensorDescriptor y;
        cudnnConvolutionDescriptor conv;
        int fwdAlgo = -1;
        int fwdMath;
        long fwdWorkspace;
        int bwdDataAlgo = -1;
        int bwdDataMath;
        long bwdDataWorkspace;
        int bwdFilterAlgo = -1;
        int bwdFilterMath;
        long bwdFilterWorkspace;
    }

    private final CudaContext ctx;
    private final CudnnTensors tensors;
    private final Map<Key, Plan> plans = new HashMap<>();
    private final boolean tf32 = !"false".equalsIgnoreCase(System.getProperty("cnn4j.cuda.tf32", "true"));
    private final boolean benchmark = Boolean.getBoolean("cnn4j.cuda.benchmark");

    CudnnConv(CudaContext ctx, CudnnTensors tensors) {
        this.ctx = ctx;
        this.tensors = tensors;
    }

    private int requestedMath() {
        return tf32 ? cudnnMathType.CUDNN_DEFAULT_MATH : cudnnMathType.CUDNN_FMA_MATH;
    }

    private Plan plan(int[] x, int[] w, int[] y, ConvSpec spec) {
        Key key = new Key(x[0], x[1], x[2], x[3], w[0], w[1], w[2], w[3], y[2], y[3], spec);
        return plans.computeIfAbsent(key, k -> {
            Plan p = new Plan();
            p.x = tensors.nchw(x[0], x[1], x[2], x[3]);
            p.y = tensors.nchw(y[0], y[1], y[2], y[3]);
            p.w = new cudnnFilterDescriptor();
            checkCudnn(JCudnn.cudnnCreateFilterDescriptor(p.w), "cudnnCreateFilterDescriptor");
            checkCudnn(JCudnn.cudnnSetFilter4dDescriptor(p.w, cudnnDataType.CUDNN_DATA_FLOAT,
                    cudnnTensorFormat.CUDNN_TENSOR_NCHW, w[0], w[1], w[2], w[3]), "cudnnSetFilter4dDescriptor");
            p.conv = new cudnnConvolutionDescriptor();
            checkCudnn(JCudnn.cudnnCreateConvolutionDescriptor(p.conv), "cudnnCreateConvolutionDescriptor");
            checkCudnn(JCudnn.cudnnSetConvolution2dDescriptor(p.conv, spec.padH(), spec.padW(), spec.strideH(),
                    spec.strideW(), spec.dilationH(), spec.dilationW(), cudnnConvolutionMode.CUDNN_CROSS_CORRELATION,
                    cudnnDataType.CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor(" + spec + ")");
            checkCudnn(JCudnn.cudnnSetConvolutionGroupCount(p.conv, spec.groups()), "cudnnSetConvolutionGroupCount");
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, requestedMath()), "cudnnSetConvolutionMathType");
            return p;
        });
    }

    /**
     * The first successful candidate whose workspace fits in free memory, preferring (with TF32 off) those that
     * report strict FMA math ({@code math} is null where the JNI does not report it); -1 if none.
     */
    private int pick(int count, int[] status, long[] memory, int[] math) {
        long budget = Math.max(ctx.freeBytes(), 0) + ctx.workspaceBytes();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < count; i++) {
                boolean mathOk = tf32 || pass == 1 || math == null || math[i] == cudnnMathType.CUDNN_FMA_MATH;
                if (status[i] == 0 && memory[i] <= budget && mathOk) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The math type to run a chosen algorithm with: FMA when TF32 is off; else the algorithm's reported math
     * type, or the requested default where the JNI does not report it.
     */
    static int chosenMath(boolean tf32, boolean reported, int perfMath) {
        if (!tf32) {
            return cudnnMathType.CUDNN_FMA_MATH;
        }
        return reported ? perfMath : cudnnMathType.CUDNN_DEFAULT_MATH;
    }

    void forward(CUdeviceptr x, int[] xd, CUdeviceptr w, int[] wd, CUdeviceptr y, int[] yd, ConvSpec spec) {
        Plan p = plan(xd, wd, yd, spec);
        if (p.fwdAlgo < 0) {
            cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[MAX_ALGOS];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionFwdAlgoPerf();
            }
            int[] count = new int[1];
            // the descriptor still holds another direction's math type: query with the requested one
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, requestedMath()), "cudnnSetConvolutionMathType");
            checkCudnn(benchmark
                    ? JCudnn.cudnnFindConvolutionForwardAlgorithm(ctx.cudnn, p.x, p.w, p.conv, p.y, MAX_ALGOS, count, perf)
                    : JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(ctx.cudnn, p.x, p.w, p.conv, p.y, MAX_ALGOS, count,
                    perf), "choosing the convolution forward algorithm");
            int[] status = new int[count[0]];
            long[] memory = new long[count[0]];
            for (int i = 0; i < count[0]; i++) {
                status[i] = perf[i].status;
                memory[i] = perf[i].memory;
            }
            int best = pick(count[0], status, memory, null);
            if (best < 0) {
                throw new CudaOperationException("conv2d forward: cuDNN offers no usable algorithm for x "
                        + java.util.Arrays.toString(xd) + ", w " + java.util.Arrays.toString(wd) + ", " + spec);
            }
            p.fwdAlgo = perf[best].algo;
            p.fwdMath = chosenMath(tf32, false, perf[best].mathType);
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.fwdMath), "cudnnSetConvolutionMathType");
            long[] ws = new long[1];
            checkCudnn(JCudnn.cudnnGetConvolutionForwardWorkspaceSize(ctx.cudnn, p.x, p.w, p.conv, p.y, p.fwdAlgo, ws),
                    "cudnnGetConvolutionForwardWorkspaceSize");
            p.fwdWorkspace = ws[0];
        }
        checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.fwdMath), "cudnnSetConvolutionMathType");
        CUdeviceptr work = ctx.workspace(p.fwdWorkspace);
        checkCudnn(JCudnn.cudnnConvolutionForward(ctx.cudnn, ONE, p.x, x, p.w, w, p.conv, p.fwdAlgo, work,
                p.fwdWorkspace, ZERO, p.y, y), "cudnnConvolutionForward");
    }

    void backwardData(CUdeviceptr dy, int[] yd, CUdeviceptr w, int[] wd, CUdeviceptr dx, int[] xd, ConvSpec spec) {
        Plan p = plan(xd, wd, yd, spec);
        if (p.bwdDataAlgo < 0) {
            cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[MAX_ALGOS];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
            }
            int[] count = new int[1];
            // the descriptor still holds another direction's math type: query with the requested one
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, requestedMath()), "cudnnSetConvolutionMathType");
            checkCudnn(benchmark
                    ? JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(ctx.cudnn, p.w, p.y, p.conv, p.x, MAX_ALGOS,
                    count, perf)
                    : JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(ctx.cudnn, p.w, p.y, p.conv, p.x, MAX_ALGOS,
                    count, perf), "choosing the convolution backward-data algorithm");
            int[] status = new int[count[0]];
            long[] memory = new long[count[0]];
            for (int i = 0; i < count[0]; i++) {
                status[i] = perf[i].status;
                memory[i] = perf[i].memory;
            }
            int best = pick(count[0], status, memory, null);
            if (best < 0) {
                throw new CudaOperationException("conv2d backward data: cuDNN offers no usable algorithm for w "
                        + java.util.Arrays.toString(wd) + ", dy " + java.util.Arrays.toString(yd) + ", " + spec);
            }
            p.bwdDataAlgo = perf[best].algo;
            p.bwdDataMath = chosenMath(tf32, false, perf[best].mathType);
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.bwdDataMath), "cudnnSetConvolutionMathType");
            long[] ws = new long[1];
            checkCudnn(JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(ctx.cudnn, p.w, p.y, p.conv, p.x,
                    p.bwdDataAlgo, ws), "cudnnGetConvolutionBackwardDataWorkspaceSize");
            p.bwdDataWorkspace = ws[0];
        }
        checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.bwdDataMath), "cudnnSetConvolutionMathType");
        CUdeviceptr work = ctx.workspace(p.bwdDataWorkspace);
        checkCudnn(JCudnn.cudnnConvolutionBackwardData(ctx.cudnn, ONE, p.w, w, p.y, dy, p.conv, p.bwdDataAlgo, work,
                p.bwdDataWorkspace, ZERO, p.x, dx), "cudnnConvolutionBackwardData");
    }

    void backwardFilter(CUdeviceptr x, int[] xd, CUdeviceptr dy, int[] yd, CUdeviceptr dw, int[] wd, ConvSpec spec) {
        Plan p = plan(xd, wd, yd, spec);
        if (p.bwdFilterAlgo < 0) {
            cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[MAX_ALGOS];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
            }
            int[] count = new int[1];
            // the descriptor still holds another direction's math type: query with the requested one
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, requestedMath()), "cudnnSetConvolutionMathType");
            checkCudnn(benchmark
                    ? JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(ctx.cudnn, p.x, p.y, p.conv, p.w, MAX_ALGOS,
                    count, perf)
                    : JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(ctx.cudnn, p.x, p.y, p.conv, p.w, MAX_ALGOS,
                    count, perf), "choosing the convolution backward-filter algorithm");
            int[] status = new int[count[0]];
            long[] memory = new long[count[0]];
            int[] math = new int[count[0]];
            for (int i = 0; i < count[0]; i++) {
                status[i] = perf[i].status;
                memory[i] = perf[i].memory;
                math[i] = perf[i].mathType;
            }
            int best = pick(count[0], status, memory, math);
            if (best < 0) {
                throw new CudaOperationException("conv2d backward filter: cuDNN offers no usable algorithm for x "
                        + java.util.Arrays.toString(xd) + ", dy " + java.util.Arrays.toString(yd) + ", " + spec);
            }
            p.bwdFilterAlgo = perf[best].algo;
            p.bwdFilterMath = chosenMath(tf32, true, perf[best].mathType);
            checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.bwdFilterMath), "cudnnSetConvolutionMathType");
            long[] ws = new long[1];
            checkCudnn(JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(ctx.cudnn, p.x, p.y, p.conv, p.w,
                    p.bwdFilterAlgo, ws), "cudnnGetConvolutionBackwardFilterWorkspaceSize");
            p.bwdFilterWorkspace = ws[0];
        }
        checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, p.bwdFilterMath), "cudnnSetConvolutionMathType");
        CUdeviceptr work = ctx.workspace(p.bwdFilterWorkspace);
        checkCudnn(JCudnn.cudnnConvolutionBackwardFilter(ctx.cudnn, ONE, p.x, x, p.y, dy, p.conv, p.bwdFilterAlgo,
                work, p.bwdFilterWorkspace, ZERO, p.w, dw), "cudnnConvolutionBackwardFilter");
    }

    /** {@code db[k] = sum of dy[:, k, :, :]}. */
    void backwardBias(CUdeviceptr dy, Tensor dyT, CUdeviceptr db, int k) {
        checkCudnn(JCudnn.cudnnConvolutionBackwardBias(ctx.cudnn, ONE, tensors.of(dyT), dy, ZERO,
                tensors.channels(k), db), "cudnnConvolutionBackwardBias");
    }

    @Override
    public void close() {
        for (Plan p : plans.values()) {
            JCudnn.cudnnDestroyFilterDescriptor(p.w);
            JCudnn.cudnnDestroyConvolutionDescriptor(p.conv);
        }
        plans.clear();
    }
}
