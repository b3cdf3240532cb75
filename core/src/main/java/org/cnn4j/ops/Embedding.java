package org.cnn4j.ops;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Embedding lookup, as {@code torch.nn.functional.embedding}: rows of a table picked by integer indices. */
public final class Embedding {
    /** Indices are stored as float32, which holds every integer up to 2^24 exactly. */
    public static final int MAX_ROWS = 1 << 24;

    private Embedding() {
    }

    /**
     * {@code ids} of any shape (integer values stored as floats) and {@code weight} [rows, dim] give
     * [*ids.shape, dim]. The row {@code paddingIdx} (-1: none) receives no gradient, as in PyTorch. The indices
     * are read on the host and checked, so a bad index fails here with its position rather than in a kernel.
     */
    public static Tensor embedding(Tensor ids, Tensor weight, int paddingIdx) {
        Checks.sameBackend("embedding", ids, weight);
        Checks.rank("embedding", "weight", weight, 2);
        int rows = weight.dim(0), dim = weight.dim(1);
        if (rows > MAX_ROWS) {
            throw new IllegalArgumentException("embedding: at most " + MAX_ROWS + " rows are supported (indices are"
                    + " float32), got weight " + weight.shape());
        }
        if (paddingIdx < -1 || paddingIdx >= rows) {
            throw new IllegalArgumentException("embedding: padding index must be -1 (none) or in [0, " + rows
                    + "), got " + paddingIdx);
        }
        checkIndices(ids, rows);
        int n = Math.toIntExact(ids.numel());
        int[] outDims = new int[ids.rank() + 1];
        System.arraycopy(ids.shape().dims(), 0, outDims, 0, ids.rank());
        outDims[ids.rank()] = dim;
        Backend be = weight.backend();
        Tensor out = Tensor.empty(be, Shape.of(outDims));
        Tensor flatIds = ids.view(Shape.of(n));
        Tensor flatOut = out.view(Shape.of(n, dim));
        be.gatherRows(weight, flatIds, flatOut);
        flatOut.close();
        return Autograd.record(out, "embedding", new Tensor[] {null, weight}, g -> {
            Tensor dw = Tensor.empty(be, weight.shape());
            Tensor flatG = g.view(Shape.of(n, dim));
            be.scatterAddRows(flatIds, flatG, paddingIdx, dw);
            flatG.close();
            return new Tensor[] {null, dw};
        }, flatIds);
    }

    private static void checkIndices(Tensor ids, int rows) {
        float[] v = ids.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            float id = v[i];
            if (!(id >= 0 && id < rows && id == Math.rint(id))) {
                throw new IllegalArgumentException("embedding: index " + id + " at flat position " + i + " of ids "
                        + ids.shape() + " is not an integer in [0, " + rows + ")");
            }
        }
    }
}
