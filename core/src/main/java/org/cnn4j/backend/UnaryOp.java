package org.cnn4j.backend;

/** Elementwise unary operations. */
public enum UnaryOp { NEG, EXP, LOG, SQRT, SQUARE, ABS, SIGN }
