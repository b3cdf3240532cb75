package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * MixUp (Zhang et al. 2018), like torchvision's {@code transforms.v2.MixUp}: with {@code lam ~ Beta(alpha, alpha)}
 * drawn once per batch, every image becomes {@code lam * itself + (1 - lam) * its predecessor in the batch}, and
 * its soft target the same mixture of the two targets. Train with {@code Losses.softCrossEntropy}.
 */
public final class MixUp implements BatchTransform {
    private final double alpha;
    private final int numClasses;

    public MixUp(double alpha, int numClasses) {
        BatchMixing.checkArguments("MixUp", alpha, numClasses);
        this.alpha = alpha;
        this.numClasses = numClasses;
    }

    @Override
    public Batch apply(Batch batch, SplittableRandom rng) {
        float lam = (float) RandomDraws.beta(rng, alpha, alpha);
        int n = batch.size();
        int size = batch.shape().size();
        float[] x = batch.data();
        float[] out = new float[x.length];
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            for (int k = 0; k < size; k++) {
                out[i * size + k] = lam * x[i * size + k] + (1 - lam) * x[prev * size + k];
            }
        }
        return BatchMixing.mix(batch, out, lam, numClasses);
    }
}
