package org.cnn4j.optim;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}:
 * {@code etaMin + (baseLr - etaMin) * (1 + cos(pi * step / tMax)) / 2}.
 */
public final class CosineAnnealingLR implements LrSchedule {
    private final double baseLr;
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(double baseLr, int tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1, got " + tMax);
        }
        this.baseLr = baseLr;
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    public CosineAnnealingLR(double baseLr, int tMax) {
        this(baseLr, tMax, 0);
    }

    @Override
    public double lr(int step) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }
}
