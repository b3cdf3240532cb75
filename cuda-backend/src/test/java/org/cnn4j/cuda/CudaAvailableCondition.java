package org.cnn4j.cuda;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables GPU tests only where the CUDA backend is available; otherwise disables them with the reason and
 * prints "CUDA tests skipped: reason" once per JVM. With {@code -Dcnn4j.cuda.required=true} (the GPU bundle
 * sets it) an incomplete GPU stack fails every GPU test instead, so a broken driver or library cannot turn the
 * GPU run into a green row of skips.
 */
public final class CudaAvailableCondition implements ExecutionCondition {
    static final String REQUIRED_PROPERTY = "cnn4j.cuda.required";
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    enum Verdict { RUN, SKIP, FAIL }

    /** What happens to a GPU test, with the line that says why. */
    record Decision(Verdict verdict, String line) {
    }

    /** The decision from the probe's answer and the value of {@code -Dcnn4j.cuda.required} (null when unset). */
    static Decision decide(boolean available, String unavailableReason, String deviceDescription, String required) {
        String value = required == null ? "" : required.trim();
        if (!value.isEmpty() && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            return new Decision(Verdict.FAIL, "-D" + REQUIRED_PROPERTY + "=" + required + ": expected true or false");
        }
        if (available) {
            return new Decision(Verdict.RUN, "CUDA available: " + deviceDescription);
        }
        if (value.equalsIgnoreCase("true")) {
            return new Decision(Verdict.FAIL, "CUDA tests required (-D" + REQUIRED_PROPERTY + "=true) but CUDA is"
                    + " unavailable: " + unavailableReason);
        }
        return new Decision(Verdict.SKIP, "CUDA tests skipped: " + unavailableReason);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        CudaBackendProvider provider = new CudaBackendProvider();
        Decision d = decide(provider.isAvailable(), provider.unavailableReason(), provider.deviceDescription(),
                System.getProperty(REQUIRED_PROPERTY));
        switch (d.verdict()) {
            case RUN:
                return ConditionEvaluationResult.enabled(d.line());
            case SKIP:
                if (ANNOUNCED.compareAndSet(false, true)) {
                    System.out.println(d.line());
                }
                return ConditionEvaluationResult.disabled(d.line());
            default:
                // JUnit reports an exception thrown by a condition as a failure of the test class
                throw new IllegalStateException(d.line());
        }
    }
}
