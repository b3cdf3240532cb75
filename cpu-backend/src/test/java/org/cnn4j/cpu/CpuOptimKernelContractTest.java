package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.OptimKernelContract;

class CpuOptimKernelContractTest extends OptimKernelContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
