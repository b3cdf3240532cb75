package org.cnn4j.optim;

import java.util.Arrays;

/** {@code torch.optim.lr_scheduler.MultiStepLR}: multiplies by {@code gamma} at each milestone reached. */
public final class MultiStepLR implements LrSchedule {
    private final double baseLr;
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(double baseLr, int[] milestones, double gamma) {
        this.baseLr = baseLr;
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
    }

    @Override
    public double lr(int step) {
        int reached = 0;
        for (int m : milestones) {
            if (m <= step) {
                reached++;
            }
        }
        return baseLr * Math.pow(gamma, reached);
    }
}
