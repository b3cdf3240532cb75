package org.cnn4j.backend;

/** Pointwise activations; {@code alpha} is the negative slope for LEAKY_RELU and unused otherwise. */
public enum Activation {
    RELU, LEAKY_RELU, SIGMOID, TANH,
    /** Exact GELU, {@code x * Phi(x)}, PyTorch's default {@code approximate='none'}. */
    GELU
}
