package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ConvContract;

/** The conv contract suite on the CPU backend. */
class CpuConvContractTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
