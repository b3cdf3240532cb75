package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ZooOpsContract;

class CpuZooOpsContractTest extends ZooOpsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
