package org.cnn4j.ops;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.tensor.Tensor;

/**
 * 1-D convolution and pooling over [N, C, L], with PyTorch's semantics, computed as views of the 2-D ops: the
 * input becomes [N, C, 1, L] and the kernel (1, k), so every backend runs them through its 2-D kernels (cuDNN's
 * on CUDA) and no backend has a 1-D method. Arguments are checked here so that messages speak of the 1-D op.
 */
public final class OneD {
    private OneD() {
    }

    /** x [N, C, L], weight [K, C/groups, k], bias [K] or null -> [N, K, Lout]. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        Checks.sameBackend("conv1d", x, weight, bias);
        checkInput("conv1d", x);
        if (weight.rank() != 3) {
            throw new IllegalArgumentException("conv1d: expected weight of shape [K, C/groups, k], got "
                    + weight.shape());
        }
        if (stride < 1 || padding < 0 || dilation < 1 || groups < 1) {
            throw new IllegalArgumentException("conv1d: expected stride >= 1, padding >= 0, dilation >= 1 and"
                    + " groups >= 1, got " + stride + ", " + padding + ", " + dilation + ", " + groups);
        }
        int c = x.dim(1), k = weight.dim(0), kernel = weight.dim(2);
        if (c % groups != 0 || k % groups != 0 || weight.dim(1) * groups != c) {
            throw new IllegalArgumentException("conv1d: input " + x.shape() + " and weight " + weight.shape()
                    + " do not fit groups=" + groups + " (expected weight [K, " + c + "/" + groups + ", k] with K"
                    + " divisible by " + groups + ")");
        }
        int span = dilation * (kernel - 1) + 1, padded = x.dim(2) + 2 * padding;
        if (span > padded) {
            throw new IllegalArgumentException("conv1d: kernel " + kernel + " (dilated " + span + ") is longer than"
                    + " the padded input " + padded + " (input " + x.shape() + ", padding " + padding + ")");
        }
        ConvSpec spec = new ConvSpec(1, stride, 0, padding, 1, dilation, groups);
        Tensor x4 = unsqueezeH(x);
        Tensor w4 = unsqueezeH(weight);
        Tensor y4 = Convolution.conv2d(x4, w4, bias, spec);
        return squeezeH(y4, x4, w4);
    }

    /** Max or average pooling of [N, C, L] with kernel, stride, padding and PyTorch's ceil mode. */
    public static Tensor pool1d(Tensor x, PoolSpec.PoolMode mode, int kernel, int stride, int padding,
                                boolean ceilMode, boolean countIncludePad) {
        String op = mode.name().toLowerCase() + "_pool1d";
        Checks.sameBackend(op, x);
        checkInput(op, x);
        checkPool(op, kernel, stride, padding);
        PoolSpec spec = new PoolSpec(mode, 1, kernel, 1, stride, 0, padding, ceilMode, countIncludePad);
        if (spec.outW(x.dim(2)) < 1) {
            throw new IllegalArgumentException(op + ": kernel " + kernel + " is longer than the padded input "
                    + (x.dim(2) + 2 * padding) + " (input " + x.shape() + ")");
        }
        Tensor x4 = unsqueezeH(x);
        return squeezeH(Pooling.pool2d(x4, spec), x4);
    }

    /** Averages over PyTorch's adaptive bins: bin i spans [floor(i*L/out), ceil((i+1)*L/out)). */
    public static Tensor adaptiveAvgPool1d(Tensor x, int outputSize) {
        Checks.sameBackend("adaptive_avg_pool1d", x);
        checkAdaptive("adaptive_avg_pool1d", x, outputSize);
        Tensor x4 = unsqueezeH(x);
        return squeezeH(Pooling.adaptiveAvgPool2d(x4, 1, outputSize), x4);
    }

    /**
     * Maximum over PyTorch's adaptive bins (as {@link #adaptiveAvgPool1d}); the gradient goes to each bin's first
     * maximum. When the length divides evenly, the bins are one max pooling; otherwise each bin is pooled from a
     * slice of its own (bins of different lengths cannot share one pooling call).
     */
    public static Tensor adaptiveMaxPool1d(Tensor x, int outputSize) {
        Checks.sameBackend("adaptive_max_pool1d", x);
        checkAdaptive("adaptive_max_pool1d", x, outputSize);
        int length = x.dim(2);
        if (length % outputSize == 0) {
            int k = length / outputSize;
            return pool1d(x, PoolSpec.PoolMode.MAX, k, k, 0, false, true);
        }
        Tensor[] bins = new Tensor[outputSize];
        for (int i = 0; i < outputSize; i++) {
            int start = Math.floorDiv(i * length, outputSize);
            int end = -Math.floorDiv(-(i + 1) * length, outputSize);
            Tensor slice = Slicing.slice(x, 2, start, end, 1);
            bins[i] = pool1d(slice, PoolSpec.PoolMode.MAX, end - start, end - start, 0, false, true);
            closeUnlessRecorded(bins[i], slice);
        }
        Tensor out = Shapes.concat(2, bins);
        closeUnlessRecorded(out, bins);
        return out;
    }

    /** Kernel and stride at least 1, padding between 0 and half the kernel (PyTorch's rule). */
    public static void checkPool(String op, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException(op + ": expected kernel >= 1, stride >= 1 and padding between 0 and"
                    + " half the kernel, got kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
    }

    private static void checkInput(String op, Tensor x) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException(op + ": expected input of shape [N, C, L], got " + x.shape());
        }
    }

    private static void checkAdaptive(String op, Tensor x, int outputSize) {
        checkInput(op, x);
        if (outputSize < 1) {
            throw new IllegalArgumentException(op + ": output size must be positive, got " + outputSize);
        }
    }

    /** [N, C, L] as [N, C, 1, L] (a view that carries gradients back). */
    private static Tensor unsqueezeH(Tensor t) {
        return Shapes.reshape(t, t.dim(0), t.dim(1), 1, t.dim(2));
    }

    /** [N, C, 1, L] back to [N, C, L]; the views made on the way are freed unless a graph holds them. */
    private static Tensor squeezeH(Tensor y4, Tensor... views) {
        Tensor y = Shapes.reshape(y4, y4.dim(0), y4.dim(1), y4.dim(3));
        Tensor[] all = new Tensor[views.length + 1];
        System.arraycopy(views, 0, all, 0, views.length);
        all[views.length] = y4;
        closeUnlessRecorded(y, all);
        return y;
    }

    private static void closeUnlessRecorded(Tensor out, Tensor... intermediates) {
        if (!out.requiresGrad()) {
            for (Tensor t : intermediates) {
                t.close();
            }
        }
    }
}
