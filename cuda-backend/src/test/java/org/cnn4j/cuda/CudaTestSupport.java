package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;

/**
 * One CUDA backend per test JVM (creating a context per test would be slow), closed at JVM exit. A failed
 * creation is reported once and not retried by later tests.
 */
public final class CudaTestSupport {
    private static final CreateOnce<CudaBackend> BACKEND = new CreateOnce<>("the CUDA backend", () -> {
        CudaBackend backend = (CudaBackend) new CudaBackendProvider().create();
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        return backend;
    });

    private CudaTestSupport() {
    }

    public static Backend backend() {
        return BACKEND.get();
    }
}
