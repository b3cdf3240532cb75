package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DistributedFitContract;

class CpuDistributedFitContractTest extends DistributedFitContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
