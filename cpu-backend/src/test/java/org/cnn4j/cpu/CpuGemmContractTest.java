package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.GemmContract;

/** The gemm contract suite on the CPU backend. */
class CpuGemmContractTest extends GemmContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
