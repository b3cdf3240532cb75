package org.cnn4j.data;

import java.util.SplittableRandom;

/** Scales byte pixel values 0..255 to 0..1 (like torchvision's {@code ToTensor}), in place. */
public final class ToUnit implements Transform {

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        float[] image = example.image();
        for (int i = 0; i < image.length; i++) {
            image[i] /= 255f;
        }
        return example;
    }
}
