package org.cnn4j.cuda;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables GPU tests only where the CUDA backend is available; otherwise disables them with the reason and
 * prints "CUDA tests skipped: reason" once per JVM.
 */
public final class CudaAvailableCondition implements ExecutionCondition {
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        CudaBackendProvider provider = new CudaBackendProvider();
        if (provider.isAvailable()) {
            return ConditionEvaluationResult.enabled("CUDA available: " + provider.deviceDescription());
        }
        String line = "CUDA tests skipped: " + provider.unavailableReason();
        if (ANNOUNCED.compareAndSet(false, true)) {
            System.out.println(line);
        }
        return ConditionEvaluationResult.disabled(line);
    }
}
