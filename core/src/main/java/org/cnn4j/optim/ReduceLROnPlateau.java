package org.cnn4j.optim;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: after more than {@code patience} epochs without an
 * improvement of the monitored metric, every group's learning rate is multiplied by {@code factor} (not below
 * {@code minLr}; a change smaller than {@code eps} is not applied), then {@code cooldown} epochs pass before bad
 * epochs count again. An improvement beats the best value by more than {@code threshold}, relative
 * ({@code best * (1 -/+ threshold)}) or absolute ({@code best -/+ threshold}). A NaN metric is never an
 * improvement. PyTorch's defaults: factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0, min lr 0,
 * eps 1e-8.
 */
public final class ReduceLROnPlateau {
    /** Whether a smaller ({@code MIN}, e.g. a loss) or larger ({@code MAX}, an accuracy) metric is better. */
    public enum Mode { MIN, MAX }

    /** The settings, validated. */
    public record Options(Mode mode, double factor, int patience, double threshold, boolean relativeThreshold,
                          int cooldown, double minLr, double eps) {
        public Options {
            if (mode == null || !(factor > 0 && factor < 1) || patience < 0 || !(threshold >= 0) || cooldown < 0
                    || !(minLr >= 0) || !(eps >= 0)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: expected a mode, factor in (0, 1), patience,"
                        + " threshold, cooldown, min lr and eps >= 0; got " + mode + ", " + factor + ", " + patience
                        + ", " + threshold + ", " + cooldown + ", " + minLr + ", " + eps);
            }
        }

        /** PyTorch's defaults with the given mode, factor and patience. */
        public static Options of(Mode mode, double factor, int patience) {
            return new Options(mode, factor, patience, 1e-4, true, 0, 0, 1e-8);
        }
    }

    private final Options options;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceLROnPlateau(Options options) {
        this.options = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * Records one epoch's metric and returns whether the learning rates are due to be reduced now; {@link #step}
     * is this plus the reduction. Replaying a run's history through this rebuilds the counters of a resumed run.
     */
    public boolean observe(double metric) {
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > options.patience()) {
            cooldownLeft = options.cooldown();
            badEpochs = 0;
            return true;
        }
        return false;
    }

    /** Records one epoch's metric and reduces every group's learning rate of {@code optimizer} when due. */
    public boolean step(double metric, Optimizer optimizer) {
        if (!observe(metric)) {
            return false;
        }
        for (int g = 0; g < optimizer.paramGroups().size(); g++) {
            double old = optimizer.getLr(g);
            double reduced = reduce(old);
            if (old - reduced > options.eps()) {
                optimizer.setLr(g, reduced);
            }
        }
        return true;
    }

    /** The rate one reduction gives: {@code max(lr * factor, minLr)}. */
    public double reduce(double lr) {
        return Math.max(lr * options.factor(), options.minLr());
    }

    private boolean isBetter(double metric) {
        if (Double.isNaN(metric)) {
            return false;
        }
        double t = options.threshold();
        if (options.mode() == Mode.MIN) {
            return metric < (options.relativeThreshold() ? best * (1 - t) : best - t);
        }
        return metric > (options.relativeThreshold() ? best * (1 + t) : best + t);
    }

    /** The best metric so far (an infinity before the first epoch). */
    public double best() {
        return best;
    }

    public Options options() {
        return options;
    }
}
