package org.cnn4j.nn;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.ops.ChannelNorm;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.LayerNorm(C)} applied to each pixel's channels of an [N, C, H, W] tensor, as torchvision's
 * ConvNeXt {@code LayerNorm2d} (and its {@code nn.LayerNorm} between permutes) does; weight (ones) and bias
 * (zeros) of shape [C].
 */
public class LayerNorm2d extends Module {
    private final int channels;
    private final float eps;

    public LayerNorm2d(int channels, float eps) {
        if (channels < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm2d: expected channels >= 1 and eps > 0, got " + channels
                    + ", " + eps);
        }
        this.channels = channels;
        this.eps = eps;
        Backend be = Backends.current();
        registerParameter("weight", Tensor.full(be, Shape.of(channels), 1f));
        registerParameter("bias", Tensor.zeros(be, Shape.of(channels)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return ChannelNorm.layerNorm(x, parameter("weight"), parameter("bias"), eps);
    }

    @Override
    public String extraRepr() {
        return "(" + channels + ",), eps=" + eps;
    }
}
