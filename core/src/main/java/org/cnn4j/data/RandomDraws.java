package org.cnn4j.data;

import java.util.SplittableRandom;

/** Draws from distributions SplittableRandom lacks, so augmentations stay on the loader's seeded streams. */
final class RandomDraws {
    private RandomDraws() {
    }

    /** Uniform in [lo, hi). */
    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** Standard normal (Box-Muller). */
    static double normal(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(); // (0, 1]: log(u) finite
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Gamma(shape, 1), Marsaglia and Tsang's method; shapes below 1 boosted by U^(1/shape). */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            return gamma(rng, shape + 1) * Math.pow(1 - rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** Beta(a, b) as X / (X + Y) of two gammas. */
    static double beta(SplittableRandom rng, double a, double b) {
        double x = gamma(rng, a);
        double y = gamma(rng, b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }
}
