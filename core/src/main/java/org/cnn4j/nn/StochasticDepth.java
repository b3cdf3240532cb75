package org.cnn4j.nn;

import java.util.Random;

import org.cnn4j.tensor.Tensor;

/**
 * torchvision's {@code ops.StochasticDepth(p, "row")}: in training, zeroes each sample's input (a residual
 * branch) with probability {@code p} and scales the rest by 1/(1-p); the identity in eval mode. Each training
 * forward draws a fresh seed from this module's generator (seeded from {@link Init#generator()} unless given, and
 * reseeded each epoch by the training loop: {@link SeededRandomness}), like {@link Dropout}.
 */
public class StochasticDepth extends Module implements SeededRandomness {
    private final float p;
    private final Random seeds;

    public StochasticDepth(float p) {
        this(p, Init.generator().nextLong());
    }

    public StochasticDepth(float p, long seed) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("StochasticDepth: drop probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.seeds = new Random(seed);
    }

    @Override
    public void setSeed(long seed) {
        seeds.setSeed(seed);
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean active = isTraining() && p > 0f;
        long seed = active ? seeds.nextLong() : 0L;
        return org.cnn4j.ops.StochasticDepth.stochasticDepth(x, p, active, seed);
    }

    public float p() {
        return p;
    }

    @Override
    public String extraRepr() {
        return "p=" + p + ", mode=row";
    }
}
