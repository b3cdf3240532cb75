package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DistributedContract;

class CpuDistributedContractTest extends DistributedContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
