package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ElementwiseContract;

class CpuElementwiseContractTest extends ElementwiseContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
