package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * A transform of a whole batch (MixUp, CutMix), applied after its examples are transformed and stacked.
 * {@code rng} is seeded from (seed, epoch, batch index) only, so the result does not depend on the number of
 * loader threads.
 */
@FunctionalInterface
public interface BatchTransform {

    Batch apply(Batch batch, SplittableRandom rng);

    /** Applies one of {@code choices}, picked uniformly at random for each batch (torchvision's RandomChoice). */
    static BatchTransform oneOf(BatchTransform... choices) {
        BatchTransform[] copy = choices.clone();
        if (copy.length == 0) {
            throw new IllegalArgumentException("BatchTransform.oneOf: no choices");
        }
        return (batch, rng) -> copy[rng.nextInt(copy.length)].apply(batch, rng);
    }
}
