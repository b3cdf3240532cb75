package org.cnn4j.backend;

/** Elementwise operations between a tensor {@code x} and a scalar {@code s}. */
public enum ScalarOp {
    /** x + s */ ADD,
    /** x * s */ MUL,
    /** x ^ s */ POW,
    /** s - x */ RSUB,
    /** s / x */ RDIV
}
