package org.cnn4j.train;

import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * A hook into each optimizer step, between backward and the update: where data-parallel training averages the
 * gradients across workers, and mixed precision scales the loss and unscales the gradients. Hooks run in the
 * order they were added; the run then checks the gradients for NaN and infinities (see {@link NonFinitePolicy})
 * and applies the step.
 */
public interface GradientHook {
    /**
     * The factor the loss is multiplied by before backward (mixed precision's loss scale); the hook that scales
     * must divide the gradients by it again in {@link #afterBackward}. The factors of several hooks multiply.
     */
    default double lossScale() {
        return 1;
    }

    /**
     * Called before each backward; {@code completesUpdate} is set for the last backward before the optimizer step
     * (the only one with gradient accumulation off). Data parallelism starts averaging gradients during that
     * backward.
     */
    default void beforeBackward(boolean completesUpdate) {
    }

    /**
     * Called once per optimizer step after backward, with every trainable parameter (a parameter's gradient may
     * be null when it took no part in the loss). Return false to skip this optimizer step, e.g. when a loss
     * scaler found an overflow; a skip asked for by a hook is reported but is not a divergence.
     *
     * @param update the optimizer step's index in the run, from 0
     */
    default boolean afterBackward(List<Tensor> params, long update) {
        return true;
    }

    /** Called after the optimizer applied (or skipped) the step, e.g. to grow or shrink a loss scale. */
    default void afterStep(long update, boolean applied) {
    }
}
