package org.cnn4j.optim;

/**
 * A learning-rate schedule: the rate after {@code step} scheduler steps (epochs or iterations, whichever the
 * caller counts), in PyTorch's closed forms. Apply it with {@code optimizer.setLr(schedule.lr(step))}.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(int step);

    /** Sets every group's learning rate of {@code optimizer} to {@code lr(step)}. */
    default void apply(Optimizer optimizer, int step) {
        optimizer.setLr(lr(step));
    }

    /** A constant rate. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }
}
