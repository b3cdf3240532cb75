package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DropoutContract;

class CpuDropoutContractTest extends DropoutContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
