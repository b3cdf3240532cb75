package org.cnn4j.nn;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.ops.Convolution;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * A {@link Linear} (weight [out, in], bias [out], PyTorch's init) applied to the channels of every pixel of an
 * [N, in, H, W] tensor, giving [N, out, H, W]: what {@code nn.Linear} does to a channels-last tensor in
 * torchvision's ConvNeXt block, computed as a 1x1 convolution with the weight viewed as [out, in, 1, 1]. The
 * state_dict keys and shapes are Linear's, so torchvision's weights load unchanged.
 */
public class ChannelLinear extends Linear {
    public ChannelLinear(int inFeatures, int outFeatures) {
        super(inFeatures, outFeatures, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != inFeatures()) {
            throw new IllegalArgumentException("ChannelLinear(" + inFeatures() + " -> " + outFeatures()
                    + "): expected input of shape [N, " + inFeatures() + ", H, W], got " + x.shape());
        }
        Tensor kernel = Shapes.reshape(weight(), outFeatures(), inFeatures(), 1, 1);
        return Convolution.conv2d(x, kernel, bias(), ConvSpec.of(1, 0));
    }
}
