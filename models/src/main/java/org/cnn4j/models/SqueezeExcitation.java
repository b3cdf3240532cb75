package org.cnn4j.models;

import java.util.function.Supplier;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's {@code ops.SqueezeExcitation} (Hu et al. 2018): global average pool, 1x1 conv down to
 * {@code squeezeChannels}, activation, 1x1 conv back up, a gating activation (sigmoid, or hard sigmoid in
 * MobileNet V3), and the input scaled channel-wise by the result. Keys {@code fc1.weight}, {@code fc2.bias}.
 */
public final class SqueezeExcitation extends Module {
    private final AdaptiveAvgPool2d avgpool;
    private final Conv2d fc1, fc2;
    private final Module activation, scaleActivation;

    public SqueezeExcitation(int inputChannels, int squeezeChannels, Supplier<Module> activation,
                             Supplier<Module> scaleActivation) {
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc1 = registerModule("fc1", new Conv2d(inputChannels, squeezeChannels, 1, 1, 0));
        fc2 = registerModule("fc2", new Conv2d(squeezeChannels, inputChannels, 1, 1, 0));
        this.activation = registerModule("activation", activation.get());
        this.scaleActivation = registerModule("scale_activation", scaleActivation.get());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor scale = scaleActivation.call(fc2.call(activation.call(fc1.call(avgpool.call(x)))));
        return scale.mul(x);
    }
}
