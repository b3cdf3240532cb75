package org.cnn4j.optim;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR} (two phases, cosine annealing): from {@code maxLr / divFactor} up
 * to {@code maxLr} over the first {@code pctStart} of the steps, then down to
 * {@code maxLr / divFactor / finalDivFactor} at step {@code totalSteps - 1}. Defaults as PyTorch: pct_start 0.3,
 * div_factor 25, final_div_factor 1e4.
 *
 * <p>The warm-up ends at step {@code pctStart * totalSteps - 1}, which is below 0 for very short runs (2 or 3 steps
 * with the defaults): then, as in PyTorch, every step lies in the annealing phase, measured from that negative
 * end. When it ends exactly at step 0 (where PyTorch divides by zero) step 0 is the peak.
 */
public final class OneCycleLR implements LrSchedule {
    private final double maxLr;
    private final int totalSteps;
    private final double initialLr;
    private final double minLr;
    private final double warmupEnd;

    public OneCycleLR(double maxLr, int totalSteps) {
        this(maxLr, totalSteps, 0.3, 25, 1e4);
    }

    public OneCycleLR(double maxLr, int totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        if (totalSteps < 1 || !(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("OneCycleLR: expected totalSteps >= 1 and pctStart in (0, 1), got "
                    + totalSteps + ", " + pctStart);
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        this.warmupEnd = pctStart * totalSteps - 1;
    }

    @Override
    public double lr(int step) {
        if (step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("OneCycleLR: step " + step + " is outside [0, " + totalSteps + ")");
        }
        if (step <= warmupEnd) {
            return warmupEnd == 0 ? maxLr : cosine(initialLr, maxLr, step / warmupEnd);
        }
        return cosine(maxLr, minLr, (step - warmupEnd) / (totalSteps - 1 - warmupEnd));
    }

    private static double cosine(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
