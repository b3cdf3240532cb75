package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool1d;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool1d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * M5 of Dai et al. (2017), "Very Deep Convolutional Neural Networks for Raw Waveforms": conv [80/4, 128] ->
 * max-pool 4 -> conv [3, 128] -> max-pool 4 -> conv [3, 256] -> max-pool 4 -> conv [3, 512] -> max-pool 4 ->
 * global average pooling -> linear; batch norm and ReLU after every convolution, "same" padding as in the paper's
 * table 1 (32,000 samples become 8,000 after the first layer). Input: waveforms [N, C, L] or [N, C, 1, L].
 */
public final class M5 extends Module {
    private final Sequential features;
    private final Linear fc;

    public M5(int inChannels, int numClasses) {
        features = registerModule("features", new Sequential(
                new Conv1d(inChannels, 128, 80, 4, 38), new BatchNorm1d(128), new ReLU(), new MaxPool1d(4),
                new Conv1d(128, 128, 3, 1, 1), new BatchNorm1d(128), new ReLU(), new MaxPool1d(4),
                new Conv1d(128, 256, 3, 1, 1), new BatchNorm1d(256), new ReLU(), new MaxPool1d(4),
                new Conv1d(256, 512, 3, 1, 1), new BatchNorm1d(512), new ReLU(), new MaxPool1d(4),
                new AdaptiveAvgPool1d(1)));
        fc = registerModule("fc", new Linear(512, numClasses));
    }

    /** One input channel and 10 classes unless given. */
    public static M5 m5(ModelOptions o) {
        return new M5(o.inChannelsOr(1), o.numClassesOr(10));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = features.call(asSequence(x));
        return fc.call(Shapes.reshape(h, h.dim(0), h.dim(1)));
    }

    /** [N, C, 1, L] (the sequence data loader's layout) as [N, C, L]; [N, C, L] as is. */
    private static Tensor asSequence(Tensor x) {
        if (x.rank() == 3) {
            return x;
        }
        if (x.rank() == 4 && x.dim(2) == 1) {
            return Shapes.reshape(x, x.dim(0), x.dim(1), x.dim(3));
        }
        throw new IllegalArgumentException("m5: expected waveforms of shape [N, C, L] or [N, C, 1, L], got "
                + x.shape());
    }
}
