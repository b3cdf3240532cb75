package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.Embedding}: weight [numEmbeddings, embeddingDim] initialised N(0, 1) as PyTorch does, with the
 * row {@code paddingIdx} zeroed; that row gets no gradient, so it stays zero in training. Input: token ids of
 * any shape (integer values in a float tensor); output: their rows, shape [*ids, embeddingDim].
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** @param paddingIdx the padding row, or null for none; negative values count from the end, as PyTorch */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (numEmbeddings < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got numEmbeddings=" + numEmbeddings
                    + " embeddingDim=" + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx must be within [-" + numEmbeddings + ", "
                    + numEmbeddings + "), got " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? -1 : Math.floorMod(paddingIdx, numEmbeddings);
        Tensor w = registerParameter("weight",
                Tensor.empty(Backends.current(), Shape.of(numEmbeddings, embeddingDim)));
        Init.normal(w, 0, 1);
        if (this.paddingIdx >= 0) {
            zeroPaddingRow(w);
        }
    }

    private void zeroPaddingRow(Tensor w) {
        float[] v = w.toFloatArray();
        java.util.Arrays.fill(v, paddingIdx * embeddingDim, (paddingIdx + 1) * embeddingDim, 0f);
        w.backend().write(w, v, 0);
    }

    @Override
    public Tensor forward(Tensor ids) {
        return org.cnn4j.ops.Embedding.embedding(ids, weight(), paddingIdx);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding row, or -1 for none. */
    public int paddingIdx() {
        return paddingIdx;
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
