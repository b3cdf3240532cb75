package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.AutogradContract;

class CpuAutogradContractTest extends AutogradContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
