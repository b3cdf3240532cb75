package org.cnn4j.backend;

/** Elementwise binary operations with NumPy broadcasting. */
public enum BinaryOp { ADD, SUB, MUL, DIV }
