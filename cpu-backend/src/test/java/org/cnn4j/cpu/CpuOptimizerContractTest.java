package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.OptimizerContract;

class CpuOptimizerContractTest extends OptimizerContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
