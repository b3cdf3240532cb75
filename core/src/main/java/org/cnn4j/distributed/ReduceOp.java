package org.cnn4j.distributed;

/** How an all-reduce combines the ranks' buffers. */
public enum ReduceOp {
    /** The element-wise sum. */
    SUM,
    /** The element-wise sum divided by the world size (one division by N, after the sum). */
    AVERAGE
}
