package org.cnn4j.models;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Embedding;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.OneD;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Kim (2014), "Convolutional Neural Networks for Sentence Classification": token ids -> embedding (id 0 is
 * padding: a zero row that never trains) -> parallel convolutions 3, 4 and 5 tokens wide, each spanning the whole
 * embedding (a 1-D convolution over time, stored in the common PyTorch layout {@code Conv2d(1, F, (k, D))}) ->
 * ReLU -> max over time -> concatenation -> dropout 0.5 -> linear.
 *
 * <p>Input: ids [N, L] or [N, 1, 1, L] (the layout the sequence data loader produces). Every sequence gets four
 * more padding ids at its end, so each window that starts at a real token exists (however little padding the
 * batch added), and windows that hold only padding are masked out of the max (after the ReLU every feature is
 * >= 0, so a masked window is set to 0): the logits of a sequence do not depend on the padding of its batch.
 */
public final class TextCnn extends Module {
    public static final int PADDING_ID = 0;
    private static final int[] WINDOWS = {3, 4, 5};

    private final Embedding embedding;
    private final List<Conv2d> convs = new ArrayList<>();
    private final Dropout dropout;
    private final Linear fc;

    public TextCnn(int vocabSize, int embeddingDim, int filters, int numClasses) {
        embedding = registerModule("embedding", new Embedding(vocabSize, embeddingDim, PADDING_ID));
        Sequential list = registerModule("convs", new Sequential()); // holds the branches, like nn.ModuleList
        for (int k : WINDOWS) {
            Conv2d conv = new Conv2d(1, filters, k, embeddingDim, ConvSpec.of(1, 0), true);
            list.add(conv);
            convs.add(conv);
        }
        dropout = registerModule("dropout", new Dropout(0.5f));
        fc = registerModule("fc", new Linear(filters * WINDOWS.length, numClasses));
    }

    /** Vocabulary 10,000 unless given, 128-dimensional embeddings, 100 filters per width, 2 classes. */
    public static TextCnn textCnn(ModelOptions o) {
        return new TextCnn(o.vocabSizeOr(10_000), 128, 100, o.numClassesOr(2));
    }

    @Override
    public Tensor forward(Tensor x) {
        float[] ids = ids(x);
        int n = x.dim(0), given = ids.length / n, length = given + WINDOWS[WINDOWS.length - 1] - 1;
        float[] padded = new float[n * length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ids, i * given, padded, i * length, given);
        }
        Tensor idT = Tensor.of(x.backend(), padded, Shape.of(n, length));
        Tensor emb = embedding.call(idT);
        Tensor e4 = Shapes.reshape(emb, n, 1, length, embedding.embeddingDim());
        Tensor[] pooled = new Tensor[convs.size()];
        for (int b = 0; b < convs.size(); b++) {
            Tensor h = Activations.relu(convs.get(b).call(e4)); // [N, F, L - k + 1, 1]
            Tensor h3 = Shapes.reshape(h, n, h.dim(1), h.dim(2));
            Tensor mask = windowMask(padded, n, length, WINDOWS[b], x);
            Tensor masked = mask == null ? h3 : Arithmetic.mul(h3, mask);
            Tensor p = OneD.adaptiveMaxPool1d(masked, 1);
            pooled[b] = Shapes.reshape(p, n, h.dim(1));
        }
        return fc.call(dropout.call(Shapes.concat(1, pooled)));
    }

    /** Token ids on the host, [N, L] or [N, 1, 1, L]. */
    private static float[] ids(Tensor x) {
        boolean flat = x.rank() == 2;
        boolean fromLoader = x.rank() == 4 && x.dim(1) == 1 && x.dim(2) == 1;
        if (!flat && !fromLoader) {
            throw new IllegalArgumentException("textcnn: expected token ids of shape [N, L] or [N, 1, 1, L], got "
                    + x.shape());
        }
        return x.toFloatArray();
    }

    /** 1 for each window of width k that holds a real token, 0 for windows of padding only; null if none is. */
    private static Tensor windowMask(float[] ids, int n, int length, int k, Tensor like) {
        int windows = length - k + 1;
        float[] mask = new float[n * windows];
        boolean anyMasked = false;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < windows; t++) {
                for (int j = t; j < t + k; j++) {
                    if (ids[i * length + j] != PADDING_ID) {
                        mask[i * windows + t] = 1;
                        break;
                    }
                }
                anyMasked |= mask[i * windows + t] == 0;
            }
        }
        return anyMasked ? Tensor.of(like.backend(), mask, Shape.of(n, 1, windows)) : null;
    }
}
