package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ModuleContract;

class CpuModuleContractTest extends ModuleContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
