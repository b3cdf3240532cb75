package org.cnn4j.models;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * GoogLeNet's and Inception v3's {@code transform_input}: maps an input normalised with ImageNet's mean and std to
 * the (x - 0.5) / 0.5 normalisation the ported Google weights expect, per channel {@code x * (std/0.5) +
 * (mean - 0.5)/0.5}, with the constants rounded to float32 as torch does.
 */
final class TransformInput {
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    private TransformInput() {
    }

    static Tensor apply(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != 3) {
            throw new IllegalArgumentException("transform_input: expected an RGB input [N, 3, H, W], got "
                    + x.shape());
        }
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (STD[c] / 0.5);
            shift[c] = (float) ((MEAN[c] - 0.5) / 0.5);
        }
        // temporaries like any op's: the backward pass of the product needs the scale tensor
        Shape perChannel = Shape.of(1, 3, 1, 1);
        return x.mul(Tensor.of(x.backend(), scale, perChannel)).add(Tensor.of(x.backend(), shift, perChannel));
    }
}
