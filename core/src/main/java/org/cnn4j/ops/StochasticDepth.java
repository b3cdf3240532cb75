package org.cnn4j.ops;

import java.util.Arrays;

import org.cnn4j.backend.CounterRng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's {@code ops.stochastic_depth} in row mode (Huang et al. 2016): in training, each sample's residual
 * branch is zeroed with probability {@code p} and the surviving ones scaled by 1/(1-p); the identity otherwise.
 * Sample i survives when {@code CounterRng.uniform(seed, i) >= p}, so a seed gives the same rows on every backend.
 */
public final class StochasticDepth {
    private StochasticDepth() {
    }

    public static Tensor stochasticDepth(Tensor x, float p, boolean training, long seed) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("stochastic_depth: drop probability must be in [0, 1], got " + p);
        }
        if (x.rank() < 1) {
            throw new IllegalArgumentException("stochastic_depth: expected a batch [N, ...], got a scalar");
        }
        if (!training || p == 0f) {
            return x;
        }
        int n = x.dim(0);
        float survival = 1f - p;
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = CounterRng.uniform(seed, i) >= p ? 1f / survival : 0f; // p = 1: no row survives
        }
        int[] dims = new int[x.rank()];
        Arrays.fill(dims, 1);
        dims[0] = n;
        return x.mul(Tensor.of(x.backend(), mask, Shape.of(dims)));
    }
}
