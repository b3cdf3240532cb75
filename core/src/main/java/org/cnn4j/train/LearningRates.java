package org.cnn4j.train;

import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;

/**
 * The learning rate of every parameter group at every optimizer step: the schedule's base rate (the config's
 * rate when there is no per-step schedule), times the group's multiplier (e.g. the head's), times the factor the
 * plateau schedule has reduced it by so far.
 */
final class LearningRates {
    private final LrSchedule schedule;
    private final double baseLr;
    private final double[] groupScales;
    private double plateauFactor = 1;
    private double current;

    LearningRates(LrSchedule schedule, double baseLr, double[] groupScales) {
        this.schedule = schedule;
        this.baseLr = baseLr;
        this.groupScales = groupScales.clone();
        this.current = baseLr * groupScales[0];
    }

    /** Sets every group's rate for optimizer step {@code update} (counted from 0 over the run). */
    void apply(Optimizer optimizer, long update) {
        double base = (schedule == null ? baseLr : schedule.lr(Math.toIntExact(update))) * plateauFactor;
        for (int g = 0; g < groupScales.length; g++) {
            optimizer.setLr(g, base * groupScales[g]);
        }
        current = base * groupScales[0];
    }

    void reduce(double factor) {
        plateauFactor *= factor;
    }

    double plateauFactor() {
        return plateauFactor;
    }

    /** The first group's rate at the last step. */
    double current() {
        return current;
    }
}
