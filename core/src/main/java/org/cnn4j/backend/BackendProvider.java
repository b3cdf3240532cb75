package org.cnn4j.backend;

/**
 * Service interface ({@code META-INF/services/org.cnn4j.backend.BackendProvider}) through which
 * {@link Backends} discovers backends.
 */
public interface BackendProvider {
    String name();

    /** Higher wins under {@code auto}. */
    int priority();

    /** Probes natives/devices without throwing (a failed JNI class init is permanent for the JVM). */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false: the missing piece and how to get it. */
    String unavailableReason();

    Backend create();
}
