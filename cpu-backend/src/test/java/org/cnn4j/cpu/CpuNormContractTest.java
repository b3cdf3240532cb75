package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.NormContract;

class CpuNormContractTest extends NormContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
