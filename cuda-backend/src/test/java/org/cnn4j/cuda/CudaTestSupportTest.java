package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.cnn4j.cuda.CudaAvailableCondition.Decision;
import org.cnn4j.cuda.CudaAvailableCondition.Verdict;
import org.junit.jupiter.api.Test;

/** The GPU tests' support without a GPU: skip or fail decisions, and one creation attempt per JVM. */
class CudaTestSupportTest {
    private static final String REASON = "libcudnn.so.9 not found (cuDNN 9); install cuDNN 9";

    @Test
    void withoutCudaGpuTestsSkipUnlessRequired() {
        assertEquals(new Decision(Verdict.SKIP, "CUDA tests skipped: " + REASON),
                CudaAvailableCondition.decide(false, REASON, "", null));
        assertEquals(Verdict.SKIP, CudaAvailableCondition.decide(false, REASON, "", "false").verdict());
        assertEquals(new Decision(Verdict.FAIL, "CUDA tests required (-Dcnn4j.cuda.required=true) but CUDA is"
                + " unavailable: " + REASON), CudaAvailableCondition.decide(false, REASON, "", "true"));
        assertEquals(Verdict.FAIL, CudaAvailableCondition.decide(false, REASON, "", " TRUE ").verdict());
    }

    @Test
    void withCudaGpuTestsRun() {
        assertEquals(new Decision(Verdict.RUN, "CUDA available: H100"),
                CudaAvailableCondition.decide(true, "", "H100", "true"));
        assertEquals(Verdict.RUN, CudaAvailableCondition.decide(true, "", "H100", null).verdict());
    }

    @Test
    void aMisspelledRequiredValueFailsRatherThanSkips() {
        assertEquals(new Decision(Verdict.FAIL, "-Dcnn4j.cuda.required=yes: expected true or false"),
                CudaAvailableCondition.decide(false, REASON, "", "yes"));
        assertEquals(Verdict.FAIL, CudaAvailableCondition.decide(true, "", "H100", "1").verdict());
    }

    /** The condition as JUnit calls it on this machine: its verdict follows the property. */
    @Test
    void theConditionOnThisMachineFollowsTheProbeAndTheProperty() {
        CudaBackendProvider provider = new CudaBackendProvider();
        String before = System.getProperty(CudaAvailableCondition.REQUIRED_PROPERTY);
        try {
            System.setProperty(CudaAvailableCondition.REQUIRED_PROPERTY, "true");
            if (provider.isAvailable()) {
                assertTrue(!new CudaAvailableCondition().evaluateExecutionCondition(null).isDisabled());
            } else {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> new CudaAvailableCondition().evaluateExecutionCondition(null));
                assertTrue(e.getMessage().endsWith(provider.unavailableReason()), e.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty(CudaAvailableCondition.REQUIRED_PROPERTY);
            } else {
                System.setProperty(CudaAvailableCondition.REQUIRED_PROPERTY, before);
            }
        }
    }

    @Test
    void aFailedCreationIsReportedOnceAndNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        RuntimeException cause = new CudaOperationException("cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED");
        CreateOnce<String> once = new CreateOnce<>("a scripted backend", () -> {
            attempts.incrementAndGet();
            throw cause;
        });
        assertSame(cause, assertThrows(CudaOperationException.class, once::get), "the first test sees the failure");
        for (int test = 0; test < 3; test++) {
            IllegalStateException later = assertThrows(IllegalStateException.class, once::get);
            assertSame(cause, later.getCause());
            assertEquals("a scripted backend failed to start earlier in this JVM (not retried): " + cause,
                    later.getMessage());
        }
        assertEquals(1, attempts.get());
    }

    @Test
    void aSuccessfulCreationIsShared() {
        AtomicInteger attempts = new AtomicInteger();
        CreateOnce<Object> once = new CreateOnce<>("x", () -> {
            attempts.incrementAndGet();
            return new Object();
        });
        assertSame(once.get(), once.get());
        assertEquals(1, attempts.get());
    }
}
