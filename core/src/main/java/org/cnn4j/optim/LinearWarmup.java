package org.cnn4j.optim;

/**
 * A linear warm-up in front of another schedule, as PyTorch's
 * {@code SequentialLR([LinearLR(start_factor, total_iters=warmupSteps), after], milestones=[warmupSteps])}: for
 * {@code step < warmupSteps} the rate is {@code after.lr(0) * (startFactor + (1 - startFactor) * step /
 * warmupSteps)}, then {@code after.lr(step - warmupSteps)}.
 */
public final class LinearWarmup implements LrSchedule {
    private final LrSchedule after;
    private final int warmupSteps;
    private final double startFactor;

    public LinearWarmup(LrSchedule after, int warmupSteps, double startFactor) {
        if (warmupSteps < 1 || !(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearWarmup: expected warmupSteps >= 1 and startFactor in (0, 1],"
                    + " got " + warmupSteps + ", " + startFactor);
        }
        this.after = after;
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
    }

    /** PyTorch LinearLR's default start factor is 1/3. */
    public LinearWarmup(LrSchedule after, int warmupSteps) {
        this(after, warmupSteps, 1.0 / 3);
    }

    @Override
    public double lr(int step) {
        if (step < warmupSteps) {
            return after.lr(0) * (startFactor + (1 - startFactor) * step / warmupSteps);
        }
        return after.lr(step - warmupSteps);
    }
}
