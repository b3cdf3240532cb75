package org.cnn4j.train;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.cnn4j.optim.CosineAnnealingLR;
import org.cnn4j.optim.LinearWarmup;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.MultiStepLR;
import org.cnn4j.optim.OneCycleLR;
import org.cnn4j.optim.StepLR;

/**
 * The learning-rate schedules a {@link TrainConfig} can name. All but {@link #PLATEAU} are per optimizer step
 * over the whole run: step decays 10x every third of the run, multistep at 50% and 75%, cosine and onecycle
 * anneal over the run; a warm-up (in epochs) ramps up linearly first. {@code PLATEAU} is
 * ReduceLROnPlateau on the run's monitored metric, once per epoch.
 */
public enum ScheduleKind {
    NONE, STEP, MULTISTEP, COSINE, ONECYCLE, PLATEAU;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a name; "constant" is another name for none. */
    @JsonCreator
    public static ScheduleKind of(String id) {
        String key = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        if (key.equals("constant")) {
            return NONE;
        }
        for (ScheduleKind k : values()) {
            if (k.id().equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + id + "'; expected one of "
                + Arrays.stream(values()).map(ScheduleKind::id).toList());
    }

    /** The base learning rate per optimizer step, counted from 0 over the run; null for a constant rate. */
    LrSchedule perStep(TrainConfig c, int updatesPerEpoch) {
        int total = c.epochs() * updatesPerEpoch;
        int warmup = c.warmupEpochs() * updatesPerEpoch;
        LrSchedule base = switch (this) {
            case NONE, PLATEAU -> warmup > 0 ? LrSchedule.constant(c.lr()) : null;
            case STEP -> new StepLR(c.lr(), Math.max(1, total / 3), 0.1);
            case MULTISTEP -> new MultiStepLR(c.lr(), new int[] {total / 2, total * 3 / 4}, 0.1);
            case COSINE -> new CosineAnnealingLR(c.lr(), Math.max(1, total - warmup));
            // one step of onecycle would run at its final, 1/250000 of the peak: a constant rate is more useful
            case ONECYCLE -> total >= 2 ? new OneCycleLR(c.lr(), total) : LrSchedule.constant(c.lr());
        };
        return warmup > 0 ? new LinearWarmup(base, warmup) : base;
    }
}
