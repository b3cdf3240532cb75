package org.cnn4j.optim;

/** {@code torch.optim.lr_scheduler.StepLR}: {@code baseLr * gamma^(step / stepSize)} (integer division). */
public final class StepLR implements LrSchedule {
    private final double baseLr;
    private final int stepSize;
    private final double gamma;

    public StepLR(double baseLr, int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be >= 1, got " + stepSize);
        }
        this.baseLr = baseLr;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    /** PyTorch's default gamma is 0.1. */
    public StepLR(double baseLr, int stepSize) {
        this(baseLr, stepSize, 0.1);
    }

    @Override
    public double lr(int step) {
        return baseLr * Math.pow(gamma, Math.floorDiv(step, stepSize));
    }
}
