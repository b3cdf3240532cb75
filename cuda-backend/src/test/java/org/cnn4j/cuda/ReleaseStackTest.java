package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What CudaContext and CudaBackend do when a constructor step fails half-way, and on close. */
class ReleaseStackTest {

    /** A constructor shaped like CudaContext's: each step made, then registered; step {@code failAt} fails. */
    private static List<String> construct(int failAt, List<String> log) {
        ReleaseStack releases = new ReleaseStack();
        String[] steps = {"context", "stream", "cublas", "cudnn"};
        try {
            for (int i = 0; i < steps.length; i++) {
                if (i == failAt) {
                    throw new CudaOperationException("creating " + steps[i] + " failed");
                }
                String made = steps[i];
                log.add("create " + made);
                releases.push(made, () -> log.add("release " + made));
            }
        } catch (RuntimeException e) {
            releases.releaseAfter(e);
            throw e;
        }
        return log;
    }

    @Test
    void aFailedStepReleasesWhatTheEarlierStepsMadeNewestFirst() {
        List<String> log = new ArrayList<>();
        CudaOperationException e = assertThrows(CudaOperationException.class, () -> construct(3, log));
        assertEquals("creating cudnn failed", e.getMessage(), "the original failure is the one reported");
        assertEquals(List.of("create context", "create stream", "create cublas", "release cublas", "release stream",
                "release context"), log);
        List<String> first = new ArrayList<>();
        assertThrows(CudaOperationException.class, () -> construct(0, first));
        assertEquals(List.of(), first, "nothing made, nothing released");
    }

    @Test
    void everyReleaseRunsAndFailuresAreReportedNotSwallowed() {
        List<String> log = new ArrayList<>();
        ReleaseStack releases = new ReleaseStack();
        releases.push("context", () -> log.add("context"));
        releases.push("stream", () -> {
            throw new IllegalStateException("cuStreamDestroy failed: CUDA_ERROR_INVALID_HANDLE");
        });
        releases.push("module", () -> {
            throw new IllegalStateException("cuModuleUnload failed");
        });
        CudaOperationException e = assertThrows(CudaOperationException.class, releases::close);
        assertEquals("releasing module failed: cuModuleUnload failed", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("releasing stream failed: cuStreamDestroy failed: CUDA_ERROR_INVALID_HANDLE",
                e.getSuppressed()[0].getMessage());
        assertEquals(List.of("context"), log, "the context is released after the failures above it");
        assertEquals(0, releases.size());
        releases.close();  // nothing left: a second close does nothing
    }

    @Test
    void releaseFailuresAfterAConstructorFailureAreAttachedToIt() {
        ReleaseStack releases = new ReleaseStack();
        releases.push("stream", () -> {
            throw new IllegalStateException("busy");
        });
        RuntimeException cause = new CudaOperationException("cublasCreate failed");
        releases.releaseAfter(cause);
        assertEquals("releasing stream failed: busy", cause.getSuppressed()[0].getMessage());
    }

    @Test
    void closeAfterReleasesEvenWhenTheFirstStepFails() {
        List<String> log = new ArrayList<>();
        ReleaseStack releases = new ReleaseStack();
        releases.push("context", () -> log.add("context"));
        RuntimeException sync = new CudaOperationException("cuStreamSynchronize failed: illegal address");
        RuntimeException e = assertThrows(RuntimeException.class, () -> releases.closeAfter(() -> {
            throw sync;
        }));
        assertSame(sync, e);
        assertEquals(List.of("context"), log);
    }
}
