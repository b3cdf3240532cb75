package org.cnn4j.ops;

import java.util.Map;

import java.util.Arrays;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Slicing along one axis, splitting into parts, and axis permutation, with autograd. All are built on
 * {@link Backend#copyAlongAxis}, so every backend runs them without a dedicated kernel.
 */
public final class Slicing {
    private Slicing() {
    }

    /**
     * {@code x[..., start:end:step, ...]} along {@code axis} with {@code 0 <= start < end <= dim} and
     * {@code step >= 1}. Step 1 is one backend copy; a larger step costs one copy per kept index.
     */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int ax = x.shape().axis(axis);
        int dim = x.dim(ax);
        if (step < 1) {
            throw new IllegalArgumentException("slice: step must be >= 1, got " + step);
        }
        if (start < 0 || end > dim || start >= end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") along axis " + ax
                    + " of " + x.shape() + " must be non-empty and within [0, " + dim + ")");
        }
        int count = (end - start + step - 1) / step;
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, x.shape().withDim(ax, count));
        copySlab(be, x, start, step, out, 0, 1, ax, count);
        Shape inShape = x.shape();
        return Autograd.record(out, "slice", Map.of("axis", ax, "start", start, "end", end, "step", step),
                new Tensor[] {x}, g -> {
            Tensor dx = Tensor.zeros(be, inShape);
            copySlab(be, g, 0, 1, dx, start, step, ax, count);
            return new Tensor[] {dx};
        });
    }

    /** Splits {@code x} along {@code axis} into consecutive parts of the given sizes (they must sum to the dim). */
    public static Tensor[] split(Tensor x, int axis, int... sizes) {
        int ax = x.shape().axis(axis);
        long total = 0;
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("split: part sizes must be >= 1, got " + Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != x.dim(ax)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + total
                    + " but axis " + ax + " of " + x.shape() + " has " + x.dim(ax));
        }
        Tensor[] parts = new Tensor[sizes.length];
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            parts[i] = slice(x, ax, offset, offset + sizes[i], 1);
            offset += sizes[i];
        }
        return parts;
    }

    /** {@code x.permute(perm)}: output axis {@code i} is input axis {@code perm[i]} (a new contiguous tensor). */
    public static Tensor permute(Tensor x, int... perm) {
        int rank = x.rank();
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " has " + perm.length
                    + " entries but " + x.shape() + " has rank " + rank);
        }
        int[] p = new int[rank];
        int[] inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (a < 0 || a >= rank || seen[a]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(perm)
                        + " is not a permutation of the axes of " + x.shape());
            }
            seen[a] = true;
            p[i] = a;
            inverse[a] = i;
        }
        Tensor out = permuteRaw(x, p);
        return Autograd.record(out, "permute", Map.of("perm", p.clone()), new Tensor[] {x},
                g -> new Tensor[] {permuteRaw(g, inverse)});
    }

    /** Copies {@code count} single slices {@code src[srcStart + i*srcStep] -> dst[dstStart + i*dstStep]}. */
    private static void copySlab(Backend be, Tensor src, int srcStart, int srcStep, Tensor dst, int dstStart,
                                 int dstStep, int axis, int count) {
        if (srcStep == 1 && dstStep == 1) {
            be.copyAlongAxis(src, srcStart, dst, dstStart, axis, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            be.copyAlongAxis(src, srcStart + i * srcStep, dst, dstStart + i * dstStep, axis, 1);
        }
    }

    /**
     * Brings each wanted axis to its place by one block move {@code [A, B, K, C] -> [A, K, B, C]} (axis K moved in
     * front of the block B), at most rank-1 moves. Each move costs 2*min(B, K) backend copies plus one buffer.
     */
    private static Tensor permuteRaw(Tensor x, int[] perm) {
        int rank = perm.length;
        int[] order = new int[rank];
        int[] dims = x.shape().dims();
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        Tensor current = x.view(x.shape());
        for (int target = 0; target < rank; target++) {
            int k = target;
            while (order[k] != perm[target]) {
                k++;
            }
            if (k == target) {
                continue;
            }
            Tensor moved = moveAxis(current, dims, target, k);
            current.close();
            current = moved;
            int axis = order[k], size = dims[k];
            System.arraycopy(order, target, order, target + 1, k - target);
            System.arraycopy(dims, target, dims, target + 1, k - target);
            order[target] = axis;
            dims[target] = size;
        }
        return current;
    }

    private static Tensor moveAxis(Tensor x, int[] dims, int target, int k) {
        int a = (int) product(dims, 0, target), b = (int) product(dims, target, k), kk = dims[k];
        int c = (int) product(dims, k + 1, dims.length);
        Backend be = x.backend();
        int[] outDims = dims.clone();
        System.arraycopy(dims, target, outDims, target + 1, k - target);
        outDims[target] = dims[k];
        Tensor out = Tensor.empty(be, Shape.of(outDims));
        try (Tensor src = x.view(Shape.of(a, b, kk, c)); Tensor dst = out.view(Shape.of(a, kk, b, c))) {
            if (kk <= b) {
                // src[:, :, j, :] is [a, b, 1, c]; seen as [a, 1, b, c] it is dst[:, j, :, :]
                try (Tensor buf = Tensor.empty(be, Shape.of(a, b, 1, c));
                     Tensor bufT = buf.view(Shape.of(a, 1, b, c))) {
                    for (int j = 0; j < kk; j++) {
                        be.copyAlongAxis(src, j, buf, 0, 2, 1);
                        be.copyAlongAxis(bufT, 0, dst, j, 1, 1);
                    }
                }
            } else {
                // src[:, i, :, :] is [a, 1, kk, c]; seen as [a, kk, 1, c] it is dst[:, :, i, :]
                try (Tensor buf = Tensor.empty(be, Shape.of(a, 1, kk, c));
                     Tensor bufT = buf.view(Shape.of(a, kk, 1, c))) {
                    for (int i = 0; i < b; i++) {
                        be.copyAlongAxis(src, i, buf, 0, 1, 1);
                        be.copyAlongAxis(bufT, 0, dst, i, 2, 1);
                    }
                }
            }
        }
        return out;
    }

    private static long product(int[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }
}
