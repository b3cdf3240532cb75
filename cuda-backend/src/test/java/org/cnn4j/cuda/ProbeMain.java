package org.cnn4j.cuda;

/** Child-JVM entry for the fake-driver test: runs the probe and prints what it found, one line per piece. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        CudaDiagnostics d = CudaBackendProvider.probe();
        System.out.println("available=" + d.available());
        System.out.println("reason=" + d.reason());
        System.out.println("description=" + d.description());
        for (CudaDiagnostics.Piece p : d.pieces()) {
            System.out.println("piece " + p.status() + " " + p.name() + ": " + p.detail());
        }
    }
}
