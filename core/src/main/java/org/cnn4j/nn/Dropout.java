package org.cnn4j.nn;

import java.util.Random;

import org.cnn4j.ops.Regularization;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.Dropout}: in training, zeroes each element with probability {@code p} and scales the rest by
 * 1/(1-p); the identity in eval mode. Each training forward draws a fresh mask seed from this module's own
 * seeded generator (seeded from {@link Init#generator()} unless given, and reseeded each epoch by the training
 * loop: {@link SeededRandomness}), so runs are reproducible and masks are identical on every backend.
 */
public class Dropout extends Module implements SeededRandomness {
    private final float p;
    private final Random seeds;

    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        this(p, Init.generator().nextLong());
    }

    public Dropout(float p, long seed) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
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
        return Regularization.dropout(x, p, active, seed);
    }

    public float p() {
        return p;
    }

    @Override
    public String extraRepr() {
        return "p=" + p;
    }
}
