package org.cnn4j.train;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a run does when a step's loss or gradients are NaN or infinite. Either way the optimizer step is not
 * applied, so the weights stay finite, and the event is reported to the listeners.
 */
public enum NonFinitePolicy {
    /** End the run with a {@link TrainingDivergedException} saying where and why (the default). */
    STOP,
    /** Skip the step and carry on; every skipped step is reported and counted. */
    SKIP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static NonFinitePolicy of(String id) {
        for (NonFinitePolicy p : values()) {
            if (p.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown non-finite policy '" + id + "'; expected stop or skip");
    }
}
