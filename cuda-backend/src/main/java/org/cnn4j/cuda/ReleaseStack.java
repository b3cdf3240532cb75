package org.cnn4j.cuda;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Native resources released newest first: by {@code close()}, or by a constructor that failed half-way (the
 * handles it already made must not leak: a retained primary context or a stream outlives the failed object).
 * Every release runs even when an earlier one fails; the failures are reported, never swallowed.
 */
final class ReleaseStack implements AutoCloseable {
    private record Step(String what, Runnable release) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Registers how to release something just created; {@code what} names it in failure reports. */
    void push(String what, Runnable release) {
        steps.push(new Step(what, release));
    }

    /** How many releases are pending. */
    int size() {
        return steps.size();
    }

    /**
     * Releases everything after {@code cause} stopped construction; release failures are added to it as
     * suppressed exceptions, so the original error stays the one reported.
     */
    void releaseAfter(Throwable cause) {
        RuntimeException failures = releaseAll();
        if (failures != null) {
            cause.addSuppressed(failures);
        }
    }

    /** Releases everything; throws the first failure (the others suppressed in it) after all have run. */
    @Override
    public void close() {
        RuntimeException failures = releaseAll();
        if (failures != null) {
            throw failures;
        }
    }

    /**
     * Runs {@code first} (binding and draining the device, say), then releases everything; when {@code first}
     * fails the releases still run and its exception is the one thrown.
     */
    void closeAfter(Runnable first) {
        try {
            first.run();
        } catch (RuntimeException e) {
            releaseAfter(e);
            throw e;
        }
        close();
    }

    private RuntimeException releaseAll() {
        RuntimeException first = null;
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.release().run();
            } catch (RuntimeException e) {
                RuntimeException named = new CudaOperationException("releasing " + step.what() + " failed: "
                        + e.getMessage());
                named.initCause(e);
                if (first == null) {
                    first = named;
                } else {
                    first.addSuppressed(named);
                }
            }
        }
        return first;
    }
}
