package org.cnn4j.ops;

/** How a loss combines per-sample values, as PyTorch's {@code reduction=}. */
public enum Reduction { NONE, MEAN, SUM }
