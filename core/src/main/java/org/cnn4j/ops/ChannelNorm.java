package org.cnn4j.ops;

import org.cnn4j.tensor.Tensor;

/**
 * Layer normalisation over the channel axis of an [N, C, H, W] tensor: each pixel's C values are normalised to
 * zero mean and unit (biased) variance, then scaled and shifted per channel. This is ConvNeXt's channels-last
 * {@code F.layer_norm(x.permute(0, 2, 3, 1), (C,))} without the permutes. Composed of differentiable ops (mean,
 * subtract, multiply, power), so every backend runs it and autograd derives its gradient.
 */
public final class ChannelNorm {
    private ChannelNorm() {
    }

    /** {@code (x - mean_c) / sqrt(var_c + eps) * weight[c] + bias[c]}; weight and bias have shape [C]. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        Checks.sameBackend("layer_norm", x, weight, bias);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("layer_norm over channels: expected input of shape [N, C, H, W], got "
                    + x.shape());
        }
        int c = x.dim(1);
        if (weight.rank() != 1 || weight.dim(0) != c || bias.rank() != 1 || bias.dim(0) != c) {
            throw new IllegalArgumentException("layer_norm over channels: weight and bias must have shape [" + c
                    + "] for input " + x.shape() + ", got " + weight.shape() + " and " + bias.shape());
        }
        int[] channels = {1};
        Tensor centered = x.sub(Arithmetic.mean(x, channels, true));
        Tensor variance = Arithmetic.mean(centered.mul(centered), channels, true);
        Tensor normalised = centered.mul(Arithmetic.pow(variance.add(eps), -0.5f));
        return normalised.mul(Shapes.reshape(weight, 1, c, 1, 1)).add(Shapes.reshape(bias, 1, c, 1, 1));
    }
}
