package org.cnn4j.nn;

/**
 * A layer that draws a fresh random mask on each training forward from its own seed sequence ({@link Dropout},
 * {@link StochasticDepth}). The training loop restarts every such sequence at the start of each epoch from
 * (run seed, epoch, the layer's position), so the masks do not depend on how the model was built and a run resumed
 * at epoch k draws what an uninterrupted one would have.
 */
public interface SeededRandomness {
    /** Restarts this layer's seed sequence. */
    void setSeed(long seed);
}
