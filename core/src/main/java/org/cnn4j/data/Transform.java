package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * A per-example image transform on host arrays. Random transforms draw only from {@code rng}, which the
 * {@link DataLoader} seeds from (seed, epoch, batch), so an epoch's augmentations are reproducible.
 * A transform may modify and return the input's array or return a new one.
 */
@FunctionalInterface
public interface Transform {

    Example apply(Example example, SplittableRandom rng);

    /** Applies {@code this}, then {@code next}. */
    default Transform andThen(Transform next) {
        return new Compose(this, next);
    }
}
