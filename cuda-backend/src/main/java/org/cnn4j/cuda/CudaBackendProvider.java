package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BackendProvider;
import org.cnn4j.backend.BackendUnavailableException;

/**
 * Registers the CUDA backend ("cuda", priority 100, above the CPU backend). The availability probe runs once
 * per JVM and never throws; {@link #unavailableReason()} names the missing piece and how to get it, and
 * {@link #diagnostics()} reports every piece.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static volatile CudaDiagnostics result;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    static CudaDiagnostics probe() {
        CudaDiagnostics r = result;
        if (r == null) {
            synchronized (CudaBackendProvider.class) {
                r = result;
                if (r == null) {
                    try {
                        r = CudaProbe.run();
                    } catch (Throwable t) {
                        String reason = CudaProbe.explainLoadFailure("JCuda", t);
                        r = CudaDiagnostics.unavailable(reason, java.util.List.of(new CudaDiagnostics.Piece("probe",
                                CudaDiagnostics.Status.FAILED, reason)));
                    }
                    result = r;
                }
            }
        }
        return r;
    }

    /** What the probe found, piece by piece (driver, devices, cuBLAS, cuDNN): for {@code cnn doctor}. */
    public CudaDiagnostics diagnostics() {
        return probe();
    }

    @Override
    public boolean isAvailable() {
        return probe().available();
    }

    @Override
    public String unavailableReason() {
        return probe().available() ? "" : probe().reason();
    }

    /** One line about the device when available (name, driver, cuDNN), else empty. */
    public String deviceDescription() {
        return probe().description();
    }

    @Override
    public Backend create() {
        if (!isAvailable()) {
            throw new BackendUnavailableException("backend 'cuda' is not available: " + unavailableReason());
        }
        return new CudaBackend(Integer.getInteger("cnn4j.cuda.device", 0));
    }
}
