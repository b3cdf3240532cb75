package org.cnn4j.cuda;

import java.util.List;

/**
 * What the CUDA probe found, piece by piece (JCuda natives, driver, devices, cuBLAS, cuDNN), for {@code cnn doctor}
 * and for the one-line reason an unavailable backend gives. Made once per JVM by {@link CudaBackendProvider}.
 *
 * @param available   whether every piece is usable
 * @param reason      the first missing piece and how to get it; empty when available
 * @param description one line about the device when available (name, driver, cuDNN), else empty
 * @param pieces      each piece in probe order
 */
public record CudaDiagnostics(boolean available, String reason, String description, List<Piece> pieces) {

    /** How a piece fared. NOT_CHECKED: it could not be tried because an earlier piece failed. */
    public enum Status { OK, MISSING, FAILED, NOT_CHECKED }

    /**
     * One piece of the CUDA stack.
     *
     * @param name   e.g. "cuDNN (libcudnn.so.9)"
     * @param status how it fared
     * @param detail where it was found and its version, or why not and how to fix it
     */
    public record Piece(String name, Status status, String detail) {
    }

    public CudaDiagnostics {
        pieces = List.copyOf(pieces);
    }

    static CudaDiagnostics unavailable(String reason, List<Piece> pieces) {
        return new CudaDiagnostics(false, reason, "", pieces);
    }
}
