package org.cnn4j.data;

import java.util.List;
import java.util.SplittableRandom;

/** Applies transforms in order, like torchvision's {@code transforms.Compose}. */
public final class Compose implements Transform {

    private final Transform[] steps;

    public Compose(Transform... steps) {
        this.steps = steps.clone();
    }

    public Compose(List<Transform> steps) {
        this.steps = steps.toArray(new Transform[0]);
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        Example out = example;
        for (Transform step : steps) {
            out = step.apply(out, rng);
        }
        return out;
    }
}
