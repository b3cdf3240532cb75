package org.cnn4j.cuda;

import java.util.function.Supplier;

/**
 * A value created at most once per JVM. When creation fails, the failure is printed once and remembered: later
 * calls fail at once with it as the cause instead of retrying (each retry of a CUDA backend costs seconds and
 * may leak what the failed attempt made).
 */
final class CreateOnce<T> {
    private final String what;
    private final Supplier<T> create;
    private T value;
    private Throwable failure;

    CreateOnce(String what, Supplier<T> create) {
        this.what = what;
        this.create = create;
    }

    synchronized T get() {
        if (value != null) {
            return value;
        }
        if (failure != null) {
            throw new IllegalStateException(what + " failed to start earlier in this JVM (not retried): " + failure,
                    failure);
        }
        try {
            value = create.get();
            return value;
        } catch (RuntimeException | Error e) {
            failure = e;
            System.out.println(what + " failed to start: " + e);
            throw e;
        }
    }
}
