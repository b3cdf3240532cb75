package org.cnn4j.cuda;

import static org.cnn4j.cuda.CudaErrors.checkCudnn;

import java.util.HashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.cnn4j.tensor.Tensor;

/** Cached NCHW float tensor descriptors, and the host-side alpha/beta scalars cuDNN calls take. */
final class CudnnTensors implements AutoCloseable {
    static final Pointer ONE = Pointer.to(new float[] {1f});
    static final Pointer ZERO = Pointer.to(new float[] {0f});

    private record Dims(int n, int c, int h, int w) {
    }

    private final Map<Dims, cudnnTensorDescriptor> cache = new HashMap<>();

    cudnnTensorDescriptor nchw(int n, int c, int h, int w) {
        return cache.computeIfAbsent(new Dims(n, c, h, w), d -> {
            cudnnTensorDescriptor desc = new cudnnTensorDescriptor();
            checkCudnn(JCudnn.cudnnCreateTensorDescriptor(desc), "cudnnCreateTensorDescriptor");
            checkCudnn(JCudnn.cudnnSetTensor4dDescriptor(desc, cudnnTensorFormat.CUDNN_TENSOR_NCHW,
                    cudnnDataType.CUDNN_DATA_FLOAT, n, c, h, w), "cudnnSetTensor4dDescriptor(" + d + ")");
            return desc;
        });
    }

    /** A 4-D view of a rank 1-4 tensor: [N,C,H,W] as is, [N,C] as [N,C,1,1], [N] as [N,1,1,1]. */
    cudnnTensorDescriptor of(Tensor t) {
        int[] d = t.shape().dims();
        return switch (d.length) {
            case 4 -> nchw(d[0], d[1], d[2], d[3]);
            case 3 -> nchw(d[0], d[1], d[2], 1);
            case 2 -> nchw(d[0], d[1], 1, 1);
            case 1 -> nchw(d[0], 1, 1, 1);
            default -> throw new IllegalArgumentException("cuDNN tensor descriptor: expected rank 1 to 4, got shape "
                    + t.shape());
        };
    }

    /** All elements as one row, for pointwise operations that do not care about the shape. */
    cudnnTensorDescriptor flat(Tensor t) {
        return nchw(1, 1, 1, Math.toIntExact(t.numel()));
    }

    /** Per-channel parameter descriptor [1,C,1,1]. */
    cudnnTensorDescriptor channels(int c) {
        return nchw(1, c, 1, 1);
    }

    @Override
    public void close() {
        cache.values().forEach(JCudnn::cudnnDestroyTensorDescriptor);
        cache.clear();
    }
}
