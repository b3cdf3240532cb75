package org.cnn4j.backend;

/**
 * The error function in double precision (relative error of erfc below 1e-10 on [-6, 9]), for exact GELU. For |z| < 3 the
 * everywhere-positive series {@code erf z = 2/sqrt(pi) e^{-z^2} sum 2^n z^{2n+1} / (2n+1)!!} (no cancellation);
 * beyond, the continued fraction for erfc, which keeps relative accuracy in the far tail.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 3.0;
    private static final int FRACTION_TERMS = 80;

    private Erf() {
    }

    static double erf(double z) {
        if (z < 0) {
            return -erf(-z);
        }
        return z < SERIES_LIMIT ? series(z) : 1.0 - erfcFraction(z);
    }

    static double erfc(double z) {
        if (z < 0) {
            return 1.0 + erf(-z);
        }
        return z < SERIES_LIMIT ? 1.0 - series(z) : erfcFraction(z);
    }

    /** Standard normal CDF, {@code Phi(x) = erfc(-x / sqrt 2) / 2}. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x * 0.7071067811865476);
    }

    private static double series(double z) {
        double z2 = z * z;
        double term = z;
        double sum = z;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= 2.0 * z2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
    }

    /** erfc z = e^{-z^2}/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated bottom-up. */
    private static double erfcFraction(double z) {
        double f = z;
        for (int n = FRACTION_TERMS; n >= 1; n--) {
            f = z + (n * 0.5) / f;
        }
        return INV_SQRT_PI * Math.exp(-z * z) / f;
    }
}
