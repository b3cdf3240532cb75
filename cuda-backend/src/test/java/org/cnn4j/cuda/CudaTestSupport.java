package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;

/** One CUDA backend per test JVM (creating a context per test would be slow), closed at JVM exit. */
public final class CudaTestSupport {
    private static CudaBackend backend;

    private CudaTestSupport() {
    }

    public static synchronized Backend backend() {
        if (backend == null) {
            backend = (CudaBackend) new CudaBackendProvider().create();
            Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        }
        return backend;
    }
}
