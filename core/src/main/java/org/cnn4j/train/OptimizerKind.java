package org.cnn4j.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.optim.SGD;

/** The optimizers a {@link TrainConfig} can name, with PyTorch's defaults for what the config leaves out. */
public enum OptimizerKind {
    SGD, ADAM, ADAMW;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static OptimizerKind of(String id) {
        for (OptimizerKind k : values()) {
            if (k.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; expected one of "
                + Arrays.stream(values()).map(OptimizerKind::id).toList());
    }

    /** The optimizer over {@code groups} with the config's lr, momentum (SGD) and weight decay. */
    Optimizer create(TrainConfig c, List<ParamGroup> groups) {
        return switch (this) {
            case SGD -> new SGD(new SGD.Options(c.lr(), c.momentum(), 0, c.weightDecay(), false), groups);
            case ADAM -> new Adam(new Adam.Options(c.lr(), 0.9, 0.999, 1e-8, c.weightDecay()), groups);
            case ADAMW -> new AdamW(new Adam.Options(c.lr(), 0.9, 0.999, 1e-8, c.weightDecay()), groups);
        };
    }
}
