package org.cnn4j.cli;

import java.util.List;
import java.util.Locale;

import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.CosineAnnealingLR;
import org.cnn4j.optim.LinearWarmup;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.MultiStepLR;
import org.cnn4j.optim.OneCycleLR;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.optim.StepLR;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TrainConfig;

/** Builds the optimizer and the per-step learning-rate schedule that a {@link TrainConfig} names. */
final class TrainSetup {
    private TrainSetup() {
    }

    static Optimizer optimizer(TrainConfig c, List<Tensor> params) {
        return switch (c.optimizer()) {
            case "sgd" -> new SGD(params, new SGD.Options(c.lr(), c.momentum(), 0, c.weightDecay(), false));
            case "adam" -> new Adam(params, new Adam.Options(c.lr(), 0.9, 0.999, 1e-8, c.weightDecay()));
            case "adamw" -> new AdamW(params, new Adam.Options(c.lr(), 0.9, 0.999, 1e-8, c.weightDecay()));
            default -> throw new IllegalArgumentException("unknown --optimizer '" + c.optimizer()
                    + "'; expected sgd, adam or adamw");
        };
    }

    /**
     * The schedule in optimizer steps: step decays 10x every third of the run, multistep at 50% and 75%, cosine
     * and onecycle over the whole run; warmup (in epochs) ramps up linearly first. Null for a constant rate.
     */
    static LrSchedule schedule(TrainConfig c, int stepsPerEpoch) {
        int total = c.epochs() * stepsPerEpoch;
        int warmup = c.warmupEpochs() * stepsPerEpoch;
        LrSchedule base = switch (c.schedule().toLowerCase(Locale.ROOT)) {
            case "none", "constant" -> warmup > 0 ? LrSchedule.constant(c.lr()) : null;
            case "step" -> new StepLR(c.lr(), Math.max(1, total / 3), 0.1);
            case "multistep" -> new MultiStepLR(c.lr(), new int[] {total / 2, total * 3 / 4}, 0.1);
            case "cosine" -> new CosineAnnealingLR(c.lr(), Math.max(1, total - warmup));
            case "onecycle" -> total >= 2 ? new OneCycleLR(c.lr(), total) : LrSchedule.constant(c.lr());
            default -> throw new IllegalArgumentException("unknown --schedule '" + c.schedule()
                    + "'; expected none, step, multistep, cosine or onecycle");
        };
        return warmup > 0 ? new LinearWarmup(base, warmup) : base;
    }
}
