package org.cnn4j.ops;

import java.util.Map;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * ShuffleNet's channel shuffle: {@code x.view(N, g, C/g, H, W).transpose(1, 2).reshape(N, C, H, W)}, i.e.
 * output channel {@code i*g + j} is input channel {@code j*(C/g) + i}. Built from {@code copyAlongAxis}: each
 * group's channel block goes to every g-th output channel (2g copies). The inverse permutation, and so the
 * gradient, is the shuffle with {@code C/g} groups.
 */
public final class ChannelShuffle {
    private ChannelShuffle() {
    }

    public static Tensor channelShuffle(Tensor x, int groups) {
        Checks.sameBackend("channel_shuffle", x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("channel_shuffle: expected input of shape [N, C, H, W], got "
                    + x.shape());
        }
        if (groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("channel_shuffle: groups=" + groups + " must divide the "
                    + x.dim(1) + " channels of " + x.shape());
        }
        Tensor out = shuffle(x, groups);
        int inverse = x.dim(1) / groups;
        return Autograd.record(out, "channel_shuffle", Map.of("groups", groups), new Tensor[] {x},
                g -> new Tensor[] {shuffle(g, inverse)});
    }

    private static Tensor shuffle(Tensor x, int groups) {
        Backend be = x.backend();
        int n = x.dim(0), c = x.dim(1), hw = x.dim(2) * x.dim(3), perGroup = c / groups;
        Tensor out = Tensor.empty(be, x.shape());
        // out viewed as [N, C/g, g*HW]: group j's channels land in the j-th HW-wide column block
        try (Tensor src = x.view(Shape.of(n, c, hw)); Tensor dst = out.view(Shape.of(n, perGroup, groups * hw));
             Tensor block = Tensor.empty(be, Shape.of(n, perGroup, hw))) {
            for (int j = 0; j < groups; j++) {
                be.copyAlongAxis(src, j * perGroup, block, 0, 1, perGroup);
                be.copyAlongAxis(block, 0, dst, j * hw, 2, hw);
            }
        }
        return out;
    }
}
