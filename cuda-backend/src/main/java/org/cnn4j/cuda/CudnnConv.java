package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;
import static org.cnn4j.cuda.CudnnTensors.ONE;
import static org.cnn4j.cuda.CudnnTensors.ZERO;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.cnn4j.backend.ConvSpec;
import org.cnn4j.cuda.ConvAlgorithmSearch.Candidate;
import org.cnn4j.cuda.ConvAlgorithmSearch.Choice;
import org.cnn4j.tensor.Tensor;

/**
 * cuDNN convolutions. Per shape a plan holds the descriptors and, per direction, the algorithm that ran: the
 * first of cuDNN's candidates ({@code cudnnGet*_v7}, heuristic order, PyTorch's default; or {@code cudnnFind*},
 * timed, with {@code -Dcnn4j.cuda.benchmark=true}) that works, found by {@link ConvAlgorithmSearch}. Math type
 * follows PyTorch: {@code CUDNN_DEFAULT_MATH} (TF32 tensor cores allowed on Ampere+) unless
 * {@code -Dcnn4j.cuda.tf32=false}, which selects {@code CUDNN_FMA_MATH} (strict FP32). JCudnn 12.6.0's JNI copies
 * {@code mathType} back only for backward-filter results; forward and backward-data results always read 0, so
 * they count as unreported. The workspace comes from the allocator's scratch buffer, capped by a limit.
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
        final Choice[] chosen = new Choice[Direction.values().length];
    }

    /** The cuDNN calls that differ between the three directions; operands are (a, b) -> out. */
    private enum Direction {
        /** x, w -> y. */
        FORWARD("conv2d forward") {
            @Override
            List<Candidate> candidates(cudnnHandle h, Plan p, boolean benchmark) {
                cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[MAX_ALGOS];
                Arrays.setAll(perf, i -> new cudnnConvolutionFwdAlgoPerf());
                return query(perf, count -> benchmark
                        ? JCudnn.cudnnFindConvolutionForwardAlgorithm(h, p.x, p.w, p.conv, p.y, MAX_ALGOS, count, perf)
                        : JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(h, p.x, p.w, p.conv, p.y, MAX_ALGOS, count,
                        perf), r -> new Candidate(r.algo, r.status, r.memory, ConvAlgorithmSearch.UNREPORTED));
            }

            @Override
            int workspaceSize(cudnnHandle h, Plan p, int algo, long[] bytes) {
                return JCudnn.cudnnGetConvolutionForwardWorkspaceSize(h, p.x, p.w, p.conv, p.y, algo, bytes);
            }

            @Override
            int run(cudnnHandle h, Plan p, int algo, CUdeviceptr work, long bytes, CUdeviceptr x, CUdeviceptr w,
                    CUdeviceptr y) {
                return JCudnn.cudnnConvolutionForward(h, ONE, p.x, x, p.w, w, p.conv, algo, work, bytes, ZERO, p.y,
                        y);
            }
        },
        /** dy, w -> dx. */
        BACKWARD_DATA("conv2d backward data") {
            @Override
            List<Candidate> candidates(cudnnHandle h, Plan p, boolean benchmark) {
                cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[MAX_ALGOS];
                Arrays.setAll(perf, i -> new cudnnConvolutionBwdDataAlgoPerf());
                return query(perf, count -> benchmark
                        ? JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(h, p.w, p.y, p.conv, p.x, MAX_ALGOS, count,
                        perf)
                        : JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w, p.y, p.conv, p.x, MAX_ALGOS,
                        count, perf), r -> new Candidate(r.algo, r.status, r.memory, ConvAlgorithmSearch.UNREPORTED));
            }

            @Override
            int workspaceSize(cudnnHandle h, Plan p, int algo, long[] bytes) {
                return JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(h, p.w, p.y, p.conv, p.x, algo, bytes);
            }

            @Override
            int run(cudnnHandle h, Plan p, int algo, CUdeviceptr work, long bytes, CUdeviceptr dy, CUdeviceptr w,
                    CUdeviceptr dx) {
                return JCudnn.cudnnConvolutionBackwardData(h, ONE, p.w, w, p.y, dy, p.conv, algo, work, bytes, ZERO,
                        p.x, dx);
            }
        },
        /** x, dy -> dw. */
        BACKWARD_FILTER("conv2d backward filter") {
            @Override
            List<Candidate> candidates(cudnnHandle h, Plan p, boolean benchmark) {
                cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[MAX_ALGOS];
                Arrays.setAll(perf, i -> new cudnnConvolutionBwdFilterAlgoPerf());
                return query(perf, count -> benchmark
                        ? JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(h, p.x, p.y, p.conv, p.w, MAX_ALGOS,
                        count, perf)
                        : JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x, p.y, p.conv, p.w, MAX_ALGOS,
                        count, perf), r -> new Candidate(r.algo, r.status, r.memory, r.mathType));
            }

            @Override
            int workspaceSize(cudnnHandle h, Plan p, int algo, long[] bytes) {
                return JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p.x, p.y, p.conv, p.w, algo, bytes);
            }

            @Override
            int run(cudnnHandle h, Plan p, int algo, CUdeviceptr work, long bytes, CUdeviceptr x, CUdeviceptr dy,
                    CUdeviceptr dw) {
                return JCudnn.cudnnConvolutionBackwardFilter(h, ONE, p.x, x, p.y, dy, p.conv, algo, work, bytes, ZERO,
                        p.w, dw);
            }
        };

        final String label;

        Direction(String label) {
            this.label = label;
        }

        /** Runs {@code call} (a cudnnGet/Find call filling {@code perf} and the count) and converts the results. */
        <T> List<Candidate> query(T[] perf, ToIntFunction<int[]> call, Function<T, Candidate> convert) {
            int[] count = new int[1];
            checkCudnn(call.applyAsInt(count), "choosing the " + label + " algorithm");
            List<Candidate> list = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                list.add(convert.apply(perf[i]));
            }
            return list;
        }

        abstract List<Candidate> candidates(cudnnHandle h, Plan p, boolean benchmark);

        abstract int workspaceSize(cudnnHandle h, Plan p, int algo, long[] bytes);

        abstract int run(cudnnHandle h, Plan p, int algo, CUdeviceptr work, long bytes, CUdeviceptr a, CUdeviceptr b,
                         CUdeviceptr out);
    }

    private final CudaContext ctx;
    private final CudnnTensors tensors;
    private final CachingAllocator<CUdeviceptr> allocator;
    private final long workspaceLimit;
    private final Map<Key, Plan> plans = new HashMap<>();
    private final boolean tf32 = !"false".equalsIgnoreCase(System.getProperty("cnn4j.cuda.tf32", "true"));
    private final boolean benchmark = Boolean.getBoolean("cnn4j.cuda.benchmark");

    CudnnConv(CudaContext ctx, CudnnTensors tensors, CachingAllocator<CUdeviceptr> allocator, long workspaceLimit) {
        this.ctx = ctx;
        this.tensors = tensors;
        this.allocator = allocator;
        this.workspaceLimit = workspaceLimit;
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
            p.conv = new cudnnConvolutionDescriptor();
            int status = JCudnn.cudnnCreateConvolutionDescriptor(p.conv);
            if (status != 0) {
                JCudnn.cudnnDestroyFilterDescriptor(p.w);
                checkCudnn(status, "cudnnCreateConvolutionDescriptor");
            }
            try {
                checkCudnn(JCudnn.cudnnSetFilter4dDescriptor(p.w, cudnnDataType.CUDNN_DATA_FLOAT,
                        cudnnTensorFormat.CUDNN_TENSOR_NCHW, w[0], w[1], w[2], w[3]), "cudnnSetFilter4dDescriptor");
                checkCudnn(JCudnn.cudnnSetConvolution2dDescriptor(p.conv, spec.padH(), spec.padW(), spec.strideH(),
                        spec.strideW(), spec.dilationH(), spec.dilationW(),
                        cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, cudnnDataType.CUDNN_DATA_FLOAT),
                        "cudnnSetConvolution2dDescriptor(" + spec + ")");
                checkCudnn(JCudnn.cudnnSetConvolutionGroupCount(p.conv, spec.groups()),
                        "cudnnSetConvolutionGroupCount");
            } catch (RuntimeException e) {
                destroy(p);
                throw e;
            }
            return p;
        });
    }

    private void setMath(Plan p, int mathType) {
        checkCudnn(JCudnn.cudnnSetConvolutionMathType(p.conv, mathType), "cudnnSetConvolutionMathType");
    }

    private CUdeviceptr workspace(long bytes) {
        CUdeviceptr p = allocator.scratch(bytes);
        return p == null ? new CUdeviceptr() : p;
    }

    /**
     * Runs one direction with the algorithm remembered for this plan; the first time (or when the remembered
     * one's workspace can no longer be allocated) searches for one that runs.
     */
    private void execute(Direction d, Plan p, CUdeviceptr a, CUdeviceptr b, CUdeviceptr out, String shapes) {
        Choice c = p.chosen[d.ordinal()];
        if (c != null) {
            CUdeviceptr work = null;
            try {
                work = workspace(c.workspace());
            } catch (CudaOutOfMemoryException e) {
                p.chosen[d.ordinal()] = null;  // search again: another algorithm may need less
            }
            if (work != null) {
                setMath(p, c.mathType());
                checkCudnn(d.run(ctx.cudnn, p, c.algo(), work, c.workspace(), a, b, out), d.label + " " + shapes
                        + " (algo " + c.algo() + ")");
                return;
            }
        }
        // the descriptor may hold another direction's math type: query with the requested one
        setMath(p, requestedMath());
        List<Candidate> candidates = d.candidates(ctx.cudnn, p, benchmark);
        p.chosen[d.ordinal()] = ConvAlgorithmSearch.firstWorking(d.label + " " + shapes, candidates, tf32,
                workspaceLimit, new ConvAlgorithmSearch.Attempt() {
                    @Override
                    public int workspaceSize(int algo, int mathType, long[] bytes) {
                        setMath(p, mathType);
                        return d.workspaceSize(ctx.cudnn, p, algo, bytes);
                    }

                    @Override
                    public int run(int algo, int mathType, long workspace) {
                        setMath(p, mathType);
                        return d.run(ctx.cudnn, p, algo, workspace(workspace), workspace, a, b, out);
                    }

                    @Override
                    public String describe(int status) {
                        return JCudnn.cudnnGetErrorString(status);
                    }
                });
    }

    private static String shapes(String a, int[] ad, String b, int[] bd, ConvSpec spec) {
        return "(" + a + " " + Arrays.toString(ad) + ", " + b + " " + Arrays.toString(bd) + ", " + spec + ")";
    }

    void forward(CUdeviceptr x, int[] xd, CUdeviceptr w, int[] wd, CUdeviceptr y, int[] yd, ConvSpec spec) {
        execute(Direction.FORWARD, plan(xd, wd, yd, spec), x, w, y, shapes("x", xd, "w", wd, spec));
    }

    void backwardData(CUdeviceptr dy, int[] yd, CUdeviceptr w, int[] wd, CUdeviceptr dx, int[] xd, ConvSpec spec) {
        execute(Direction.BACKWARD_DATA, plan(xd, wd, yd, spec), dy, w, dx, shapes("dy", yd, "w", wd, spec));
    }

    void backwardFilter(CUdeviceptr x, int[] xd, CUdeviceptr dy, int[] yd, CUdeviceptr dw, int[] wd, ConvSpec spec) {
        execute(Direction.BACKWARD_FILTER, plan(xd, wd, yd, spec), x, dy, dw, shapes("x", xd, "dy", yd, spec));
    }

    /** {@code db[k] = sum of dy[:, k, :, :]}. */
    void backwardBias(CUdeviceptr dy, Tensor dyT, CUdeviceptr db, int k) {
        checkCudnn(JCudnn.cudnnConvolutionBackwardBias(ctx.cudnn, ONE, tensors.of(dyT), dy, ZERO,
                tensors.channels(k), db), "cudnnConvolutionBackwardBias");
    }

    private static void destroy(Plan p) {
        JCudnn.cudnnDestroyFilterDescriptor(p.w);
        JCudnn.cudnnDestroyConvolutionDescriptor(p.conv);
    }

    @Override
    public void close() {
        plans.values().forEach(CudnnConv::destroy);
        plans.clear();
    }
}
