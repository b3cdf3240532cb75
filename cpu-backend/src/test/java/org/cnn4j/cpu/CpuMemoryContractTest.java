package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.MemoryContract;

class CpuMemoryContractTest extends MemoryContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
