package org.cnn4j.backend;

/**
 * A stateless counter-based generator: {@code uniform(seed, i)} depends only on its arguments, so every
 * backend (and every thread) draws the same numbers for the same element. SplitMix64's finaliser over
 * {@code seed * golden + i}; the CUDA kernels use the same formula.
 */
public final class CounterRng {
    private CounterRng() {
    }

    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 bits of precision (exactly representable as float). */
    public static float uniform(long seed, long index) {
        return (mix(seed, index) >>> 40) * 0x1.0p-24f;
    }
}
